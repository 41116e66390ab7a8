//! Knowledge mapping through HTTP: a network's topics, what people know and want to learn.

mod experts;
mod suggestions;
mod tagging;
mod topics;
