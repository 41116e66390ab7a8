//! Fan-out across replicas through Redis pub/sub.
//!
//! * Publishing delivers to this replica's subscribers at once, then queues the event for
//!   Redis (a bounded queue drained by one task). A write never waits for Redis and never
//!   fails because of it: when Redis is away, events still reach this replica's subscribers,
//!   and what cannot be queued is dropped and counted.
//! * Receiving: one Redis connection per replica, subscribed to one channel per topic that has
//!   subscribers here (the first local subscriber subscribes upstream, the last one leaving
//!   unsubscribes). Events carry the publishing replica's id, so a replica ignores its own.
//! * Faults: both tasks reconnect with a backoff capped at [`MAX_BACKOFF`] and the receiver
//!   resubscribes to every local topic, so cross-replica delivery resumes within about a
//!   second of Redis coming back. Redis pub/sub is at-most-once: events published while a
//!   replica was cut off are not replayed to it.

use std::{
    sync::{
        Arc,
        atomic::{AtomicU64, Ordering},
    },
    time::Duration,
};

use async_trait::async_trait;
use copnet_domain::event::{DeliveryStream, Event, EventBus, EventSource, Topic};
use futures_util::StreamExt;
use serde::{Deserialize, Serialize};
use tokio::sync::mpsc;
use uuid::Uuid;

use crate::{error::InfraError, events::LocalBus};

/// Longest wait between reconnection attempts.
pub const MAX_BACKOFF: Duration = Duration::from_millis(500);
/// Events waiting for Redis before new ones are dropped.
pub const PUBLISH_QUEUE: usize = 10_000;

/// What travels through Redis: one message per topic of an event.
#[derive(Debug, Serialize, Deserialize)]
struct Envelope {
    origin: Uuid,
    topic: Topic,
    event: Event,
}

/// Counters of the bus, for logs and tests.
#[derive(Debug, Default)]
pub struct BusStats {
    /// Events sent to Redis.
    pub published: AtomicU64,
    /// Events that could not be sent (queue full or Redis failure).
    pub dropped: AtomicU64,
    /// Events received from other replicas.
    pub received: AtomicU64,
}

enum Control {
    Subscribe(String),
    Unsubscribe(Topic, String),
}

/// The Redis-backed bus.
#[derive(Clone)]
pub struct RedisBus {
    local: LocalBus,
    origin: Uuid,
    prefix: Arc<str>,
    outgoing: mpsc::Sender<String>,
    control: mpsc::UnboundedSender<Control>,
    stats: Arc<BusStats>,
}

impl std::fmt::Debug for RedisBus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RedisBus")
            .field("origin", &self.origin)
            .finish()
    }
}

fn channel(prefix: &str, topic: Topic) -> String {
    match topic {
        Topic::Thread(id) => format!("{prefix}:thread:{id}"),
        Topic::Space(id) => format!("{prefix}:space:{id}"),
        Topic::Person(id) => format!("{prefix}:person:{id}"),
        Topic::Community(id) => format!("{prefix}:community:{id}"),
        Topic::ServiceAccount(id) => format!("{prefix}:service-account:{id}"),
        Topic::CommunityEvents(id) => format!("{prefix}:community-events:{id}"),
        Topic::ClusterEvents(id) => format!("{prefix}:cluster-events:{id}"),
    }
}

async fn backoff(attempt: &mut u32) {
    let wait = Duration::from_millis(50u64.saturating_mul(1 << (*attempt).min(4))).min(MAX_BACKOFF);
    *attempt = attempt.saturating_add(1);
    tokio::time::sleep(wait).await;
}

impl RedisBus {
    /// Starts the bus's two background tasks (they connect lazily and keep retrying, so a
    /// replica starts even while Redis is away).
    pub fn start(url: &str, prefix: &str) -> Result<Self, InfraError> {
        let client = ::redis::Client::open(url)?;
        let (outgoing, queue) = mpsc::channel(PUBLISH_QUEUE);
        let (control, commands) = mpsc::unbounded_channel();
        let bus = Self {
            local: LocalBus::default(),
            origin: Uuid::now_v7(),
            prefix: prefix.into(),
            outgoing,
            control,
            stats: Arc::new(BusStats::default()),
        };
        tokio::spawn(publisher(client.clone(), queue, Arc::clone(&bus.stats)));
        tokio::spawn(receiver(client, commands, bus.clone()));
        Ok(bus)
    }

    /// The bus's counters.
    pub fn stats(&self) -> &BusStats {
        &self.stats
    }
}

#[async_trait]
impl EventBus for RedisBus {
    async fn publish(&self, event: Event) {
        let event = Arc::new(event);
        self.local.deliver(&event);
        for topic in event.topics() {
            let envelope = Envelope {
                origin: self.origin,
                topic,
                event: (*event).clone(),
            };
            let payload = match serde_json::to_string(&envelope) {
                Ok(payload) => payload,
                Err(err) => {
                    tracing::error!(error = %err, "cannot encode an event");
                    return;
                }
            };
            let message = format!("{}\n{payload}", channel(&self.prefix, topic));
            if self.outgoing.try_send(message).is_err() {
                self.stats.dropped.fetch_add(1, Ordering::Relaxed);
                tracing::warn!("redis publish queue full: event dropped for other replicas");
            }
        }
    }
}

impl EventSource for RedisBus {
    fn subscribe(&self, topic: Topic) -> DeliveryStream {
        let name = channel(&self.prefix, topic);
        let control = self.control.clone();
        let (subscribe, unsubscribe) = (self.control.clone(), name.clone());
        self.local.subscribe_with(
            topic,
            move |_| {
                let _ = subscribe.send(Control::Subscribe(name));
            },
            move |topic| {
                let _ = control.send(Control::Unsubscribe(topic, unsubscribe));
            },
        )
    }

    fn subscribers(&self, topic: Topic) -> usize {
        self.local.subscribers(topic)
    }
}

/// Sends queued events to Redis, reconnecting as needed.
async fn publisher(
    client: ::redis::Client,
    mut queue: mpsc::Receiver<String>,
    stats: Arc<BusStats>,
) {
    let mut attempt = 0;
    let mut connection = None;
    while let Some(message) = queue.recv().await {
        let Some((channel, payload)) = message.split_once('\n') else {
            continue;
        };
        loop {
            if connection.is_none() {
                match tokio::time::timeout(
                    Duration::from_secs(2),
                    client.get_multiplexed_async_connection(),
                )
                .await
                {
                    Ok(Ok(c)) => {
                        attempt = 0;
                        connection = Some(c);
                    }
                    _ => {
                        // Redis is away: this event is lost for other replicas; keep draining so
                        // the queue holds only recent events when it comes back.
                        stats.dropped.fetch_add(1, Ordering::Relaxed);
                        backoff(&mut attempt).await;
                        break;
                    }
                }
            }
            let Some(conn) = connection.as_mut() else {
                break;
            };
            let sent: Result<(), ::redis::RedisError> = ::redis::cmd("PUBLISH")
                .arg(channel)
                .arg(payload)
                .query_async(conn)
                .await;
            match sent {
                Ok(()) => {
                    stats.published.fetch_add(1, Ordering::Relaxed);
                    break;
                }
                Err(err) => {
                    tracing::warn!(error = %err, "redis publish failed; reconnecting");
                    connection = None;
                }
            }
        }
    }
}

/// Receives other replicas' events for the topics subscribed here.
async fn receiver(
    client: ::redis::Client,
    mut commands: mpsc::UnboundedReceiver<Control>,
    bus: RedisBus,
) {
    let mut attempt = 0;
    let mut reconnected = false;
    loop {
        let pubsub =
            match tokio::time::timeout(Duration::from_secs(2), client.get_async_pubsub()).await {
                Ok(Ok(pubsub)) => pubsub,
                Ok(Err(err)) => {
                    tracing::debug!(error = %err, "redis subscriber cannot connect");
                    // Commands that came meanwhile are covered by the resubscription below.
                    while commands.try_recv().is_ok() {}
                    backoff(&mut attempt).await;
                    continue;
                }
                Err(_) => {
                    while commands.try_recv().is_ok() {}
                    backoff(&mut attempt).await;
                    continue;
                }
            };
        let (mut sink, mut stream) = pubsub.split();
        let channels: Vec<String> = bus
            .local
            .topics()
            .into_iter()
            .map(|t| channel(&bus.prefix, t))
            .collect();
        if !channels.is_empty() && sink.subscribe(&channels).await.is_err() {
            backoff(&mut attempt).await;
            continue;
        }
        attempt = 0;
        tracing::info!(channels = channels.len(), "redis subscriber connected");
        if reconnected {
            // Invalidations published while we were cut off are lost: have every local
            // subscriber check its rights again.
            let resync = Arc::new(Event::Resync);
            for topic in bus.local.topics() {
                bus.local.deliver_to(topic, &resync);
            }
        }
        reconnected = true;
        loop {
            tokio::select! {
                command = commands.recv() => {
                    let result = match command {
                        Some(Control::Subscribe(name)) => sink.subscribe(&name).await,
                        Some(Control::Unsubscribe(topic, name)) => {
                            if bus.local.is_subscribed(&topic) { Ok(()) } else { sink.unsubscribe(&name).await }
                        }
                        None => return,
                    };
                    if result.is_err() {
                        break;
                    }
                }
                message = stream.next() => {
                    let Some(message) = message else { break };
                    let Ok(payload) = message.get_payload::<String>() else { continue };
                    match serde_json::from_str::<Envelope>(&payload) {
                        Ok(envelope) if envelope.origin != bus.origin => {
                            bus.stats.received.fetch_add(1, Ordering::Relaxed);
                            bus.local.deliver_to(envelope.topic, &Arc::new(envelope.event));
                        }
                        Ok(_) => {}
                        Err(err) => tracing::warn!(error = %err, "undecodable event from redis"),
                    }
                }
            }
        }
        tracing::warn!("redis subscriber disconnected; reconnecting");
        backoff(&mut attempt).await;
    }
}
