//! The practice of a community through HTTP: charter, lifecycle, events and answers.

mod assets;
mod calendar;
mod charter;
mod demo;
mod events;
mod lifecycle;
mod onboarding;
mod rsvp;
mod stakeholders;
mod statements;
mod subscriptions;
