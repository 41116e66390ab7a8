//! Recording writes in the audit log. Every mutation writes through
//! [`write`](super::context::write), which records the mutation's name, the caller, the
//! request id, and what the write returned: its target, and the place it was made in (found
//! by walking up from the target through the loaders: a post's thread, its space, community
//! and network). An entry is appended after the write commits; failing to append it is
//! logged and counted, and does not undo the write.

use copnet_domain::{
    Actor,
    ids::{
        AssetId, AuditEntryId, ClusterId, CommunityId, EventId, NetworkId, OrganizationId, PostId,
        SpaceId, ThreadId,
    },
    model::{self, AuditActor, AuditEntry, AuditPlace, AuditTarget, EventHost, FeedbackTarget},
};
use uuid::Uuid;

use super::{context::RequestContext, ids::Kind};
use crate::error::ApiResult;

/// Where a write was made, as far as its result tells; [`place`] walks up from it.
#[derive(Debug, Clone, Copy)]
pub enum Seed {
    /// Nowhere in particular (a person's own settings).
    Nowhere,
    /// An organization.
    Organization(OrganizationId),
    /// A network.
    Network(NetworkId),
    /// A regional cluster (its events).
    Cluster(ClusterId),
    /// A community.
    Community(CommunityId),
    /// A space.
    Space(SpaceId),
    /// A thread.
    Thread(ThreadId),
    /// A post.
    Post(PostId),
    /// An event.
    Event(EventId),
    /// A knowledge asset.
    Asset(AssetId),
}

/// What a write's result says about it: its target and where it was made.
#[derive(Debug, Clone, Copy)]
pub struct Written {
    /// The object it returned, if one.
    pub target: Option<(Kind, Uuid)>,
    /// Where.
    pub seed: Seed,
}

impl Written {
    /// A write of `target`, made at `seed`.
    pub fn of(kind: Kind, id: impl Into<Uuid>, seed: Seed) -> Self {
        Self {
            target: Some((kind, id.into())),
            seed,
        }
    }

    /// A write that names no object.
    pub fn at(seed: Seed) -> Self {
        Self { target: None, seed }
    }
}

/// A write's result, as the audit log records it.
pub trait Audited {
    /// Its target and place.
    fn written(&self) -> Written;
}

/// The place a seed stands in, with every container above it.
async fn place(rc: &RequestContext, seed: Seed) -> ApiResult<AuditPlace> {
    let mut place = AuditPlace::default();
    let mut seed = seed;
    // Each step climbs one level; six steps reach the top from a post.
    for _ in 0..8 {
        seed = match seed {
            Seed::Nowhere => break,
            Seed::Organization(id) => {
                place.organization = Some(id);
                break;
            }
            Seed::Network(id) => {
                place.network = Some(id);
                break;
            }
            Seed::Cluster(id) => {
                place.cluster = Some(id);
                match rc.load(id).await? {
                    Some(cluster) => Seed::Network(cluster.network_id),
                    None => break,
                }
            }
            Seed::Community(id) => {
                place.community = Some(id);
                match rc.load(id).await? {
                    Some(community) => Seed::Network(community.network_id),
                    None => break,
                }
            }
            Seed::Space(id) => {
                place.space = Some(id);
                match rc.load(id).await? {
                    Some(space) => Seed::Community(space.community_id),
                    None => break,
                }
            }
            Seed::Thread(id) => match rc.load(id).await? {
                Some(thread) => Seed::Space(thread.space_id),
                None => break,
            },
            Seed::Post(id) => match rc.load(id).await? {
                Some(post) => Seed::Thread(post.thread_id),
                None => break,
            },
            Seed::Asset(id) => match rc.load(id).await? {
                Some(asset) => Seed::Space(asset.space_id),
                None => break,
            },
            Seed::Event(id) => match rc.load(id).await? {
                Some(event) => event_seed(event.host),
                None => break,
            },
        };
    }
    Ok(place)
}

fn event_seed(host: EventHost) -> Seed {
    match host {
        EventHost::Community {
            space: Some(space), ..
        } => Seed::Space(space),
        EventHost::Community { community, .. } => Seed::Community(community),
        EventHost::Cluster(cluster) => Seed::Cluster(cluster),
    }
}

/// Appends the write to the audit log; a failure is logged, never returned (the write has
/// committed).
pub async fn record(rc: &RequestContext, action: &str, written: Written) {
    let actor = match rc.actor() {
        Actor::Person { id, platform_admin } => AuditActor::Person { id, platform_admin },
        Actor::ServiceAccount { id } => AuditActor::ServiceAccount(id),
        Actor::Anonymous => return,
    };
    let place = match place(rc, written.seed).await {
        Ok(place) => place,
        Err(err) => {
            tracing::error!(action, error = %err.message, "audit: the write's place could not be read");
            AuditPlace::default()
        }
    };
    let entry = AuditEntry {
        id: AuditEntryId::generate(),
        at: chrono::Utc::now(),
        request_id: rc.request_id().to_owned(),
        actor,
        action: action.to_owned(),
        target: written.target.map(|(kind, id)| AuditTarget {
            kind: kind.type_name().to_owned(),
            id,
        }),
        place,
    };
    if let Err(err) = rc.services().record_write(&entry).await {
        tracing::error!(action, error = %err, "audit: the entry could not be appended");
    }
}

macro_rules! audited {
    ($($ty:ty => |$v:ident| $body:expr;)*) => {$(
        impl Audited for $ty {
            fn written(&self) -> Written {
                let $v = self;
                $body
            }
        }
    )*};
}

audited! {
    model::Organization => |o| Written::of(Kind::Organization, o.id, Seed::Organization(o.id));
    model::Affiliation => |a| Written::of(Kind::Affiliation, a.id, Seed::Organization(a.organization_id));
    model::ServiceAccount => |a| Written::of(Kind::ServiceAccount, a.id, Seed::Organization(a.organization_id));
    model::Network => |n| Written::of(Kind::Network, n.id, Seed::Network(n.id));
    model::Cluster => |c| Written::of(Kind::Cluster, c.id, Seed::Network(c.network_id));
    model::Community => |c| Written::of(Kind::Community, c.id, Seed::Community(c.id));
    model::Membership => |m| Written::of(Kind::Membership, m.id, Seed::Community(m.community_id));
    model::JoinRequest => |j| Written::of(Kind::JoinRequest, j.id, Seed::Community(j.community_id));
    model::Invitation => |i| Written::of(Kind::Invitation, i.id, Seed::Community(i.community_id));
    model::Space => |s| Written::of(Kind::Space, s.id, Seed::Space(s.id));
    model::Thread => |t| Written::of(Kind::Thread, t.id, Seed::Space(t.space_id));
    model::Post => |p| Written::of(Kind::Post, p.id, Seed::Thread(p.thread_id));
    model::Convening => |e| Written::of(Kind::Event, e.id, event_seed(e.host));
    model::Stakeholder => |s| Written::of(Kind::Stakeholder, s.id, Seed::Community(s.community_id));
    model::Asset => |a| Written::of(Kind::Asset, a.id, Seed::Space(a.space_id));
    model::Topic => |t| Written::of(Kind::Topic, t.id, Seed::Network(t.network_id));
    model::Charter => |c| Written::at(Seed::Community(c.community_id));
    model::Feedback => |f| Written::at(match f.target {
        FeedbackTarget::Community(c) => Seed::Community(c),
        FeedbackTarget::Event(e) => Seed::Event(e),
    });
    model::Rsvp => |r| Written::of(Kind::Event, r.event_id, Seed::Event(r.event_id));
}

impl Audited for model::Indicator {
    fn written(&self) -> Written {
        use model::IndicatorScope;
        let seed = match self.scope {
            IndicatorScope::Community(c) => Seed::Community(c),
            // A cluster's indicator is read by whoever sees its network.
            IndicatorScope::Cluster(_) | IndicatorScope::Network(_) => {
                Seed::Network(self.network_id)
            }
        };
        Written::of(Kind::Indicator, self.id, seed)
    }
}

impl Audited for model::CalendarToken {
    fn written(&self) -> Written {
        Written::of(Kind::CalendarToken, self.id, Seed::Nowhere)
    }
}

/// A person's own settings (expertise, profile): nowhere in particular.
impl Audited for model::Expertise {
    fn written(&self) -> Written {
        Written::of(Kind::Topic, self.topic_id, Seed::Nowhere)
    }
}

impl Audited for model::Profile {
    fn written(&self) -> Written {
        Written::at(Seed::Nowhere)
    }
}

/// Results that name nothing (a count, nothing at all): the mutation says where with
/// [`write_at`](super::context::write_at) when it was somewhere in particular.
impl Audited for () {
    fn written(&self) -> Written {
        Written::at(Seed::Nowhere)
    }
}

impl Audited for u64 {
    fn written(&self) -> Written {
        Written::at(Seed::Nowhere)
    }
}

impl<T: copnet_domain::policy::proof::Read + Audited> Audited
    for copnet_domain::policy::proof::Readable<T>
{
    fn written(&self) -> Written {
        (**self).written()
    }
}

impl<T: copnet_domain::policy::proof::Seen + Audited> Audited
    for copnet_domain::policy::proof::Visible<T>
{
    fn written(&self) -> Written {
        (**self).written()
    }
}

impl<A: Audited, B> Audited for (A, B) {
    fn written(&self) -> Written {
        self.0.written()
    }
}

impl<T: Audited> Audited for std::sync::Arc<T> {
    fn written(&self) -> Written {
        (**self).written()
    }
}

impl<T: Audited> Audited for Option<T> {
    fn written(&self) -> Written {
        self.as_ref()
            .map_or(Written::at(Seed::Nowhere), Audited::written)
    }
}
