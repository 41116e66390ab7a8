//! Knowledge mapping through HTTP: a network's topics, what people know and want to learn.

mod circles;
mod digest;
mod experts;
mod health;
mod indicators;
mod next_steps;
mod search;
mod suggestions;
mod tagging;
mod topics;
