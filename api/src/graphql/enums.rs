//! GraphQL enums, mirrored one-to-one onto the domain's.

use async_graphql::Enum;
use copnet_domain::model;

use crate::error::{ApiError, ApiResult};

macro_rules! mirror {
    ($(#[$doc:meta])* $name:ident <=> $domain:ident { $($(#[$vdoc:meta])* $variant:ident = $dv:ident),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
        pub enum $name {
            $($(#[$vdoc])* $variant),+
        }

        impl From<model::$domain> for $name {
            fn from(value: model::$domain) -> Self {
                match value {
                    $(model::$domain::$dv => $name::$variant),+
                }
            }
        }

        impl From<$name> for model::$domain {
            fn from(value: $name) -> Self {
                match value {
                    $($name::$variant => model::$domain::$dv),+
                }
            }
        }
    };
}

/// Who may see a learning network or a community. Visibility narrows down the tree, never
/// widens: a community is visible only where its network is.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
pub enum Visibility {
    /// Anyone, anonymous callers too (within a visible network, for communities).
    Public,
    /// Communities only: members of the network (of any of its communities, or stewards).
    Network,
    /// Networks: network members only. Communities: their members only (unlisted).
    Private,
}

impl From<model::NetworkVisibility> for Visibility {
    fn from(value: model::NetworkVisibility) -> Self {
        match value {
            model::NetworkVisibility::Public => Visibility::Public,
            model::NetworkVisibility::Private => Visibility::Private,
        }
    }
}

impl From<model::CommunityVisibility> for Visibility {
    fn from(value: model::CommunityVisibility) -> Self {
        match value {
            model::CommunityVisibility::Public => Visibility::Public,
            model::CommunityVisibility::Network => Visibility::Network,
            model::CommunityVisibility::Private => Visibility::Private,
        }
    }
}

impl From<Visibility> for model::CommunityVisibility {
    fn from(value: Visibility) -> Self {
        match value {
            Visibility::Public => model::CommunityVisibility::Public,
            Visibility::Network => model::CommunityVisibility::Network,
            Visibility::Private => model::CommunityVisibility::Private,
        }
    }
}

/// A network's visibility: `NETWORK` applies to communities only.
pub fn network_visibility(
    field: &'static str,
    value: Visibility,
) -> ApiResult<model::NetworkVisibility> {
    match value {
        Visibility::Public => Ok(model::NetworkVisibility::Public),
        Visibility::Private => Ok(model::NetworkVisibility::Private),
        Visibility::Network => Err(ApiError::bad_input(
            field,
            "a learning network is PUBLIC or PRIVATE (NETWORK applies to communities)",
        )),
    }
}

mirror!(
    /// Who may see and read a space.
    SpaceVisibility <=> SpaceVisibility {
        /// Whoever can read the community.
        Public = Public,
        /// Members of the community.
        Members = Members,
        /// The space's own member list, plus the community's managers and moderators. Other
        /// members see that the space exists but cannot read it.
        Private = Private,
    }
);

mirror!(
    /// How people become members of a community.
    JoinPolicy <=> JoinPolicy {
        /// `joinCommunity` makes you a member at once.
        Open = Open,
        /// `requestToJoin`; a manager decides.
        Approval = Approval,
        /// Only a manager's invitation.
        InviteOnly = InviteOnly,
    }
);

mirror!(
    /// Where a community is in its life. Moves: PROPOSED→LAUNCHING→ACTIVE⇄DORMANT, any→ARCHIVED,
    /// and ARCHIVED→DORMANT (stewards only). ACTIVE needs a charter with a domain and a goal
    /// and a LAUNCH event that has started.
    CommunityStage <=> Stage {
        /// Proposed; its core team shapes the charter.
        Proposed = Proposed,
        /// Preparing its launch.
        Launching = Launching,
        /// Running.
        Active = Active,
        /// Resting.
        Dormant = Dormant,
        /// Closed: readable, accepts no writes.
        Archived = Archived,
    }
);

mirror!(
    /// A role in a community. A member may hold several.
    CommunityRole <=> Role {
        /// Sponsor: budget, accountable.
        Sponsor = Sponsor,
        /// Community manager: settings, roles, spaces, join decisions.
        Manager = Manager,
        /// Hides, locks, pins; reads private spaces.
        Moderator = Moderator,
        /// Core group.
        Core = Core,
        /// Member.
        Member = Member,
        /// Technical support.
        TechSupport = TechSupport,
    }
);

mirror!(
    /// A person's role in an organization.
    OrganizationRole <=> OrgRole {
        /// Manages the organization's people; no power in communities by this role.
        OrgAdmin = Admin,
        /// Belongs to the organization.
        OrgMember = Member,
    }
);

mirror!(
    /// Whether a membership is current.
    MembershipStatus <=> MembershipStatus {
        /// A current member.
        Active = Active,
        /// Left on their own.
        Left = Left,
        /// Removed by a manager.
        Removed = Removed,
    }
);

mirror!(
    /// Where a join request stands.
    JoinRequestStatus <=> JoinRequestStatus {
        /// Waiting for a manager.
        Pending = Pending,
        /// Approved: the person became a member.
        Approved = Approved,
        /// Declined.
        Rejected = Rejected,
    }
);

mirror!(
    /// Where an invitation stands.
    InvitationStatus <=> InvitationStatus {
        /// Waiting for the invitee.
        Pending = Pending,
        /// Accepted: the invitee became a member.
        Accepted = Accepted,
        /// Declined by the invitee.
        Declined = Declined,
    }
);

mirror!(
    /// What a service account may do.
    ServiceAccountScope <=> Scope {
        /// Read what its organization hosts beyond public data: the networks it hosts (with
        /// their `NETWORK` communities) and the communities it hosts (with their members-only
        /// spaces). Never the content of `PRIVATE` spaces.
        ReadHosted = ReadHosted,
        /// Add and remove affiliations of its own organization (syncing staff).
        ManageAffiliations = ManageAffiliations,
    }
);

mirror!(
    /// The fixed set of reactions; `ReactionGroup.symbol` gives the emoji itself.
    ReactionEmoji <=> Emoji {
        /// 👍
        ThumbsUp = ThumbsUp,
        /// ❤️
        Heart = Heart,
        /// 🎉
        Celebrate = Celebrate,
        /// 😄
        Laugh = Laugh,
        /// 🤔
        Thinking = Thinking,
        /// 👀
        Eyes = Eyes,
        /// 💡
        Lightbulb = Lightbulb,
        /// 🙏
        Thanks = Thanks,
    }
);

mirror!(
    /// Why a post is flagged for the moderators.
    FlagReason <=> FlagReason {
        /// Unsolicited advertising.
        Spam = Spam,
        /// Rude or abusive.
        Offensive = Offensive,
        /// Not about the thread.
        OffTopic = OffTopic,
        /// Against the community's netiquette.
        Netiquette = Netiquette,
        /// Something else (see the note).
        Other = Other,
    }
);

mirror!(
    /// What a notification is about.
    NotificationKind <=> NotificationKind {
        /// Someone mentioned you in a post.
        Mention = Mention,
        /// Someone replied to your post.
        Reply = Reply,
        /// You were invited into a community.
        Invitation = Invitation,
        /// A manager decided on your join request.
        JoinDecision = JoinDecision,
    }
);

mirror!(
    /// How often something recurs.
    Cadence <=> Cadence {
        /// Every week.
        Weekly = Weekly,
        /// Every two weeks.
        Fortnightly = Fortnightly,
        /// Every month.
        Monthly = Monthly,
        /// Every three months.
        Quarterly = Quarterly,
        /// Every year.
        Yearly = Yearly,
        /// Not at a set rhythm.
        None = None,
    }
);

mirror!(
    /// The engagement format of an event (the seeds' convening formats).
    EventFormat <=> EventFormat {
        /// A roundtable discussion.
        Roundtable = Roundtable,
        /// A peer assist: peers help one team with a problem.
        PeerAssist = PeerAssist,
        /// A fishbowl: an inner circle talks, the outer circle listens, seats rotate.
        Fishbowl = Fishbowl,
        /// An online debate over several days.
        EDebate = EDebate,
        /// A webinar.
        Webinar = Webinar,
        /// A working meeting.
        Meeting = Meeting,
        /// A jam session: an intensive online brainstorm.
        JamSession = JamSession,
        /// The community's launch event; ACTIVE needs one that has started.
        Launch = Launch,
        /// A conference.
        Conference = Conference,
        /// Anything else.
        Other = Other,
    }
);

mirror!(
    /// Where an event takes place.
    EventMode <=> EventMode {
        /// Online only (see `joinUrl`).
        Online = Online,
        /// Face to face (see `location`).
        InPerson = InPerson,
        /// Both.
        Hybrid = Hybrid,
    }
);

mirror!(
    /// An answer for one occurrence of an event.
    RsvpResponse <=> RsvpResponse {
        /// Attending; beyond the capacity the answer waits for a place (`WAITLISTED`).
        Going = Going,
        /// Perhaps.
        Maybe = Maybe,
        /// Not attending.
        Declined = Declined,
    }
);

/// Where a person stands for one occurrence.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
pub enum RsvpStatus {
    /// Attending, with a place.
    Going,
    /// Said GOING when the event was full: waits, in order, and moves up when a place frees.
    Waitlisted,
    /// Perhaps.
    Maybe,
    /// Not attending.
    Declined,
}

mirror!(
    /// How a stakeholder relates to a community.
    StakeholderRole <=> StakeholderRole {
        /// Funds it.
        Funder = Funder,
        /// The community is accountable to it.
        AccountableTo = AccountableTo,
        /// Hosts it.
        Host = Host,
        /// Works with it.
        Partner = Partner,
        /// An interested outsider.
        Interested = Interested,
    }
);

mirror!(
    /// What kind of knowledge an asset holds.
    AssetKind <=> AssetKind {
        /// A set of tools and guidance.
        Toolkit = Toolkit,
        /// A reusable template.
        Template = Template,
        /// A documented case.
        CaseStudy = CaseStudy,
        /// A lesson learned.
        LessonLearned = LessonLearned,
        /// A blog post.
        Blog = Blog,
        /// A learning product (course, guide).
        LearningProduct = LearningProduct,
        /// A recording of a convening.
        Recording = Recording,
        /// Anything else.
        Other = Other,
    }
);

mirror!(
    /// Where an asset is in its peer review. Moves: DRAFT→IN_REVIEW (`submitAssetForReview`);
    /// IN_REVIEW→PUBLISHED when every named reviewer approved, →DRAFT when one requests
    /// changes; PUBLISHED→RETIRED (`retireAsset`).
    AssetStatus <=> AssetStatus {
        /// Being written: seen by its author and the community's managers only.
        Draft = Draft,
        /// With its named reviewers: seen by its author, the reviewers and the managers.
        InReview = InReview,
        /// Seen by whoever reads its space.
        Published = Published,
        /// Withdrawn from use, kept for the record: seen by whoever reads its space.
        Retired = Retired,
    }
);

mirror!(
    /// A reviewer's decision on an asset.
    ReviewDecision <=> ReviewDecision {
        /// Ready to publish (the last approval publishes it).
        Approve = Approve,
        /// Back to the author as a DRAFT.
        RequestChanges = RequestChanges,
    }
);

mirror!(
    /// What an onboarding step asks of a new member.
    OnboardingStepKind <=> OnboardingStepKind {
        /// Read the charter (the member marks it done).
        ReadCharter = ReadCharter,
        /// Introduce yourself (the member marks it done).
        IntroduceYourself = IntroduceYourself,
        /// A first post anywhere in the community: completes itself.
        FirstPost = FirstPost,
        /// A first event: an RSVP `GOING` to an occurrence that has started; completes itself.
        FirstEvent = FirstEvent,
        /// Anything else the managers ask (the member marks it done).
        Custom = Custom,
    }
);

mirror!(
    /// How well a person knows a topic.
    ExpertiseLevel <=> ExpertiseLevel {
        /// Knows of it.
        Aware = Aware,
        /// Works with it.
        Practitioner = Practitioner,
        /// Others come to them about it.
        Expert = Expert,
    }
);

mirror!(
    /// Why something is suggested. Each adds to the score: `EXPERT_IN_YOUR_INTEREST` 4 per
    /// topic, `SHARED_TOPIC` 3 per topic, `SAME_CLUSTER` 2, `SAME_ORGANIZATION` 1,
    /// `ACTIVE_IN_YOUR_COMMUNITY` 1.
    ReasonKind <=> ReasonKind {
        /// It is about topics the viewer knows or wants to learn (named in `topics`).
        SharedTopic = SharedTopic,
        /// It is in, or they are of, the regional cluster of the viewer's profile.
        SameCluster = SameCluster,
        /// It is hosted by, or they are affiliated with, one of the viewer's organizations.
        SameOrganization = SameOrganization,
        /// They practise or are expert on topics the viewer wants to learn (named in `topics`).
        ExpertInYourInterest = ExpertInYourInterest,
        /// They posted in the last 90 days in one of the viewer's communities.
        ActiveInYourCommunity = ActiveInYourCommunity,
    }
);

mirror!(
    /// A member's participation circle (seed 002's core group, seed 004's lurkers), decided
    /// in this order: `CORE` for holders of `CORE`, `MANAGER` or `MODERATOR`; `INNER` for at
    /// least `innerThreshold` contributions (threads started, replies, `GOING` answers kept,
    /// assets published) in the last `windowDays` days; `NEW` for members who joined within
    /// the last `newDays` days; `OUTER` for the rest. See `Community.circleSettings`.
    Circle <=> Circle {
        /// Organisers and moderators.
        Core = Core,
        /// Regular contributors.
        Inner = Inner,
        /// Everyone else: reads, contributes now and then.
        Outer = Outer,
        /// Newcomers.
        New = New,
    }
);

mirror!(
    /// What a next step inward asks of a member.
    NextStepKind <=> NextStepKind {
        /// Answer a thread nobody answered yet, on a topic they know or follow.
        ReplyToUnansweredThread = ReplyToUnansweredThread,
        /// Answer the next occurrence of an event they have not answered.
        RsvpNextEvent = RsvpNextEvent,
        /// Review an asset whose review round waits for them.
        ReviewAsset = ReviewAsset,
        /// Finish the community's onboarding journey.
        CompleteOnboarding = CompleteOnboarding,
        /// Say hello in a space: they have never posted in the community.
        IntroduceYourself = IntroduceYourself,
    }
);

mirror!(
    /// What a success indicator measures per period, over all spaces of the communities in
    /// its place (for a cluster or network, those the caller may see).
    IndicatorKind <=> IndicatorKind {
        /// Members at the period's end.
        Members = Members,
        /// Members with activity (a contribution or a reaction) in the period, over members
        /// at its end.
        ActiveRatio = ActiveRatio,
        /// Threads started and replies written.
        Posts = Posts,
        /// Threads started.
        Threads = Threads,
        /// Event occurrences held (not cancelled).
        EventsHeld = EventsHeld,
        /// `GOING` answers for the occurrences of the period.
        EventAttendance = EventAttendance,
        /// Assets published.
        AssetsPublished = AssetsPublished,
        /// Moves into `INNER` or `CORE` from further out.
        CircleInwardMoves = CircleInwardMoves,
        /// The mean feedback rating (1 to 5) given in the period.
        FeedbackAverage = FeedbackAverage,
        /// Anything else: values are recorded with `recordIndicatorValue`.
        Custom = Custom,
    }
);

mirror!(
    /// The length of an indicator's periods, in UTC.
    IndicatorPeriod <=> Period {
        /// Monday to Sunday.
        Week = Week,
        /// A calendar month.
        Month = Month,
        /// A calendar quarter.
        Quarter = Quarter,
        /// A calendar year.
        Year = Year,
    }
);
