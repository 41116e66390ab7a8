//! The practice of a community through HTTP: charter, lifecycle, events and answers.

mod charter;
mod events;
mod lifecycle;
mod rsvp;
