//! In-process fan-out: one bounded broadcast channel per topic that has subscribers on this
//! replica. A subscriber that falls more than [`CAPACITY`] events behind receives
//! [`Delivery::Lagged`] instead of the events it missed (it never slows the others down).
//! Topics without subscribers cost nothing: publishing to them is a map lookup.

use std::{
    collections::HashMap,
    sync::{Arc, Mutex, PoisonError},
};

use async_trait::async_trait;
use copnet_domain::event::{Delivery, DeliveryStream, Event, EventBus, EventSource, Topic};
use tokio::sync::broadcast::{self, error::RecvError};

/// Events a subscriber may be behind before it lags.
pub const CAPACITY: usize = 256;

type Channels = Arc<Mutex<HashMap<Topic, broadcast::Sender<Arc<Event>>>>>;

/// The in-process bus: the embedded default, and the local half of the Redis bus.
#[derive(Debug, Clone, Default)]
pub struct LocalBus {
    channels: Channels,
}

impl LocalBus {
    /// Delivers an event to this replica's subscribers of each of its topics.
    pub fn deliver(&self, event: &Arc<Event>) {
        for topic in event.topics() {
            self.deliver_to(topic, event);
        }
    }

    /// Delivers an event to this replica's subscribers of one topic.
    pub fn deliver_to(&self, topic: Topic, event: &Arc<Event>) {
        let channels = self.channels.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(sender) = channels.get(&topic) {
            // An error only means that the last subscriber just left.
            let _ = sender.send(Arc::clone(event));
        }
    }

    /// Topics that have subscribers here.
    pub fn topics(&self) -> Vec<Topic> {
        let channels = self.channels.lock().unwrap_or_else(PoisonError::into_inner);
        channels.keys().copied().collect()
    }

    /// Whether the topic has subscribers here.
    pub fn is_subscribed(&self, topic: &Topic) -> bool {
        let channels = self.channels.lock().unwrap_or_else(PoisonError::into_inner);
        channels.contains_key(topic)
    }

    /// Subscribes, telling `first` when this is the topic's first subscriber here and `last`
    /// when its last one leaves (the Redis bus subscribes and unsubscribes upstream there).
    pub fn subscribe_with(
        &self,
        topic: Topic,
        first: impl FnOnce(Topic),
        last: impl FnOnce(Topic) + Send + 'static,
    ) -> DeliveryStream {
        let receiver = {
            let mut channels = self.channels.lock().unwrap_or_else(PoisonError::into_inner);
            match channels.get(&topic) {
                Some(sender) => sender.subscribe(),
                None => {
                    let (sender, receiver) = broadcast::channel(CAPACITY);
                    channels.insert(topic, sender);
                    first(topic);
                    receiver
                }
            }
        };
        let subscription = Subscription {
            receiver: Some(receiver),
            channels: Arc::clone(&self.channels),
            topic,
            last: Some(Box::new(last)),
        };
        Box::pin(futures_util::stream::unfold(
            subscription,
            |mut subscription| async move {
                let receiver = subscription.receiver.as_mut()?;
                match receiver.recv().await {
                    Ok(event) => Some((Delivery::Event(event), subscription)),
                    Err(RecvError::Lagged(missed)) => {
                        Some((Delivery::Lagged(missed), subscription))
                    }
                    Err(RecvError::Closed) => None,
                }
            },
        ))
    }
}

/// One subscriber's receiver; drops the topic's channel when the last one goes.
struct Subscription {
    receiver: Option<broadcast::Receiver<Arc<Event>>>,
    channels: Channels,
    topic: Topic,
    last: Option<Box<dyn FnOnce(Topic) + Send>>,
}

impl Drop for Subscription {
    fn drop(&mut self) {
        drop(self.receiver.take());
        let mut channels = self.channels.lock().unwrap_or_else(PoisonError::into_inner);
        let remaining = channels
            .get(&self.topic)
            .map_or(0, broadcast::Sender::receiver_count);
        if remaining == 0 && channels.remove(&self.topic).is_some() {
            drop(channels);
            if let Some(last) = self.last.take() {
                last(self.topic);
            }
        }
    }
}

#[async_trait]
impl EventBus for LocalBus {
    async fn publish(&self, event: Event) {
        self.deliver(&Arc::new(event));
    }
}

impl EventSource for LocalBus {
    fn subscribe(&self, topic: Topic) -> DeliveryStream {
        self.subscribe_with(topic, |_| {}, |_| {})
    }

    fn subscribers(&self, topic: Topic) -> usize {
        let channels = self.channels.lock().unwrap_or_else(PoisonError::into_inner);
        channels
            .get(&topic)
            .map_or(0, broadcast::Sender::receiver_count)
    }
}

#[cfg(test)]
mod tests {
    use copnet_domain::ids::PersonId;
    use futures_util::StreamExt;

    use super::*;

    #[tokio::test]
    async fn subscribers_receive_events_of_their_topic_only() {
        let bus = LocalBus::default();
        let (me, other) = (PersonId::generate(), PersonId::generate());
        let mut mine = bus.subscribe(Topic::Person(me));
        let _theirs = bus.subscribe(Topic::Person(other));
        bus.publish(Event::AccessChanged { person: other }).await;
        bus.publish(Event::AccessChanged { person: me }).await;
        match mine.next().await {
            Some(Delivery::Event(event)) => assert_eq!(*event, Event::AccessChanged { person: me }),
            other => panic!("unexpected {other:?}"),
        }
    }

    #[tokio::test]
    async fn slow_subscriber_lags_without_blocking_the_publisher() {
        let bus = LocalBus::default();
        let me = PersonId::generate();
        let mut slow = bus.subscribe(Topic::Person(me));
        for _ in 0..CAPACITY + 10 {
            bus.publish(Event::AccessChanged { person: me }).await;
        }
        assert!(matches!(slow.next().await, Some(Delivery::Lagged(10))));
    }

    #[tokio::test]
    async fn last_subscriber_leaving_drops_the_topic() {
        let bus = LocalBus::default();
        let topic = Topic::Person(PersonId::generate());
        let first = bus.subscribe(topic);
        let second = bus.subscribe(topic);
        drop(first);
        assert!(bus.is_subscribed(&topic));
        drop(second);
        assert!(!bus.is_subscribed(&topic));
    }
}
