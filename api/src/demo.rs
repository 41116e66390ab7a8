//! The seeded demo: a conservation learning network in the spirit of the CAMAFU case (seed
//! 004), created through the same services and rules as the API. Seeding runs only on an
//! empty database.

use chrono::{Datelike, Duration, SubsecRound, TimeZone, Utc, Weekday};
use copnet_domain::{
    AccessSet, Actor, DomainResult,
    ids::{CommunityId, EventId, NetworkId, PersonId, SpaceId},
    model::{
        AssetKind, Cadence, CommunityVisibility, EventFormat, EventMode, ExpertiseLevel,
        IndicatorKind, IndicatorScope, JoinPolicy, NetworkVisibility, OnboardingStepKind, OrgRole,
        Period, ReviewDecision, Role, SpaceVisibility, Stage,
    },
    schedule::Schedule,
    service::{
        Capacity, CharterDraft, EventDetails, HostInput, JoinUrl, Languages, NewAsset, NewCluster,
        NewCommunity, NewIndicator, NewNetwork, NewOrganization, NewPost, NewSpace, NewThread,
        Services, StepInput,
    },
    values::{AssetBody, Description, Message, Name, PostBody, Slug, Tags, TextList, Title},
};

/// A demo persona: subject, display name, what they are in the demo.
pub const PERSONAS: &[(&str, &str, &str)] = &[
    (
        "ana",
        "Ana Torres",
        "steward of the network, ORG_ADMIN of FMCN",
    ),
    ("luis", "Luis Méndez", "MANAGER of Community Forestry"),
    (
        "maria",
        "María López",
        "MEMBER of Community Forestry, on its core-group space",
    ),
    ("jorge", "Jorge Ruiz", "newcomer with no membership"),
];

/// Forestry's charter (seed 001's purpose, people and practice) and its launch event, held
/// two weeks ago.
async fn charter_and_launch(
    services: &Services,
    manager: &AccessSet,
    community: CommunityId,
) -> DomainResult<EventId> {
    let goals = [
        "Share what works in community forest management across ejidos",
        "Publish a toolkit on community monitoring each year",
    ]
    .map(String::from);
    let outputs = ["Monthly roundtable notes", "Community monitoring toolkit"].map(String::from);
    services
        .update_charter(
            manager,
            community,
            CharterDraft {
                domain: Some(Description::parse(
                    "domain",
                    "Community forest management: governance of ejidos, sustainable harvest, monitoring.",
                )?),
                goals: Some(TextList::parse("goals", &goals)?),
                audience: Some(Description::parse(
                    "audience",
                    "Ejido leaders, NGO staff and agency officers from the network's organizations.",
                )?),
                outputs: Some(TextList::parse("outputs", &outputs)?),
                governance: Some(Description::parse(
                    "governance",
                    "A core group of five plans the year; the manager moderates the discussions.",
                )?),
                meeting_rhythm: Some(Cadence::Monthly),
                newsletter_cadence: Some(Cadence::Monthly),
                reporting_cadence: Some(Cadence::Quarterly),
                ..CharterDraft::default()
            },
        )
        .await?;
    let start = (Utc::now() - Duration::days(14)).trunc_subsecs(0);
    let launch = services
        .schedule_event(
            manager,
            HostInput::Community(community),
            EventDetails {
                title: Title::parse("title", "Launch of Community Forestry")?,
                description: Description::parse("description", "Welcome, charter, first plans.")?,
                format: EventFormat::Launch,
                mode: EventMode::Hybrid,
                schedule: Schedule::parse(
                    start,
                    start + Duration::hours(2),
                    "America/Mexico_City",
                    None,
                )?,
                location: Description::parse("location", "CONAFOR, Zapopan")?,
                join_url: JoinUrl::parse("joinUrl", "https://meet.example.org/forestry-launch")?,
                capacity: None,
            },
        )
        .await?;
    Ok(launch.id)
}

/// Two knowledge assets: a toolkit María reviewed and published (an output of the launch),
/// and a lesson of hers in review with Luis.
async fn assets(
    services: &Services,
    luis: &AccessSet,
    maria: &AccessSet,
    spaces: (SpaceId, SpaceId),
    launch: EventId,
) -> DomainResult<()> {
    let (Some(luis_id), Some(maria_id)) = (luis.person, maria.person) else {
        return Ok(());
    };
    let toolkit = services
        .create_asset(
            luis,
            spaces.0,
            NewAsset {
                kind: AssetKind::Toolkit,
                title: Title::parse("title", "Community monitoring toolkit")?,
                summary: Description::parse(
                    "summary",
                    "How ejidos monitor their forests: plots, indicators, yearly reports.",
                )?,
                body: AssetBody::parse(
                    "body",
                    "## Plots\nMark **permanent plots** and measure them each dry season.",
                )?,
                url: JoinUrl::parse("url", "https://example.org/monitoring-toolkit.pdf")?,
                tags: Tags::parse("tags", &["monitoring".into(), "ejidos".into()])?,
            },
        )
        .await?;
    services
        .submit_asset_for_review(luis, toolkit.id, vec![maria_id])
        .await?;
    services
        .review_asset(
            maria,
            toolkit.id,
            ReviewDecision::Approve,
            Description::parse("comment", "Clear and usable in the field.")?,
        )
        .await?;
    services.link_event_output(luis, launch, toolkit.id).await?;
    let lesson = services
        .create_asset(
            maria,
            spaces.1,
            NewAsset {
                kind: AssetKind::LessonLearned,
                title: Title::parse("title", "What the 2026 fire season taught us")?,
                summary: Description::parse(
                    "summary",
                    "Early community brigades halved the burnt area.",
                )?,
                body: AssetBody::parse("body", "Brigades trained in March were ready in May.")?,
                url: JoinUrl::parse("url", "")?,
                tags: Tags::parse("tags", &["fire".into()])?,
            },
        )
        .await?;
    services
        .submit_asset_for_review(maria, lesson.id, vec![luis_id])
        .await?;
    Ok(())
}

/// The network's first topics, and what Luis and María know and want to learn.
async fn knowledge_map(
    services: &Services,
    ana: &AccessSet,
    luis: &AccessSet,
    maria: &AccessSet,
    network: NetworkId,
) -> DomainResult<()> {
    let mut topics = Vec::new();
    for (name, aliases) in [
        (
            "Community forest monitoring",
            vec!["MRV", "forest inventory"],
        ),
        ("Fire management", vec!["wildfire", "manejo del fuego"]),
        ("Ejido governance", vec![]),
    ] {
        let aliases: Vec<String> = aliases.into_iter().map(String::from).collect();
        let topic = services
            .create_topic(
                ana,
                network,
                Name::parse("name", name)?,
                TextList::parse("aliases", &aliases)?,
            )
            .await?;
        topics.push(topic.id);
    }
    let [monitoring, fire, governance] = topics[..] else {
        return Ok(());
    };
    let none = || Description::parse("note", "");
    services
        .set_expertise(
            luis,
            monitoring,
            ExpertiseLevel::Expert,
            Description::parse("note", "Designed the permanent-plot protocol.")?,
        )
        .await?;
    services
        .set_expertise(luis, governance, ExpertiseLevel::Practitioner, none()?)
        .await?;
    services
        .set_expertise(maria, fire, ExpertiseLevel::Practitioner, none()?)
        .await?;
    services.set_interest(maria, monitoring).await?;
    services
        .set_profile(
            luis,
            Languages::parse("languages", &["es".into(), "en".into()])?,
            None,
            Description::parse("bio", "Forest engineer at CONAFOR, Jalisco.")?,
        )
        .await?;
    Ok(())
}

/// Forestry's onboarding journey for newcomers.
async fn onboarding(
    services: &Services,
    luis: &AccessSet,
    community: CommunityId,
) -> DomainResult<()> {
    let step = |key: &str, title: &str, description: &str, kind| -> DomainResult<StepInput> {
        Ok(StepInput {
            key: Slug::parse("key", key)?,
            title: Name::parse("title", title)?,
            description: Description::parse("description", description)?,
            kind,
        })
    };
    let steps = vec![
        step(
            "read-charter",
            "Read the charter",
            "What we are for, who is in, how we work.",
            OnboardingStepKind::ReadCharter,
        )?,
        step(
            "introduce-yourself",
            "Introduce yourself",
            "Say who you are and what you work on, in the members' lounge.",
            OnboardingStepKind::IntroduceYourself,
        )?,
        step(
            "first-post",
            "Join a discussion",
            "Reply to a thread or start one.",
            OnboardingStepKind::FirstPost,
        )?,
        step(
            "first-roundtable",
            "Come to a roundtable",
            "The second Tuesday of each month.",
            OnboardingStepKind::FirstEvent,
        )?,
    ];
    services
        .set_onboarding_steps(luis, community, steps)
        .await?;
    Ok(())
}

/// A monthly roundtable series (second Tuesday, 10:00 in Mexico City) in a space.
async fn roundtables(services: &Services, manager: &AccessSet, space: SpaceId) -> DomainResult<()> {
    // The next second Tuesday, 10:00 in Mexico City (UTC-6 all year): 16:00 UTC.
    let mut day = Utc::now().date_naive();
    while !(day.weekday() == Weekday::Tue && (8..=14).contains(&day.day())) {
        day = day.succ_opt().unwrap_or(day);
    }
    let start = Utc.from_utc_datetime(&day.and_hms_opt(16, 0, 0).unwrap_or_default());
    services
        .schedule_event(
            manager,
            HostInput::Space(space, None),
            EventDetails {
                title: Title::parse("title", "Monthly roundtable")?,
                description: Description::parse(
                    "description",
                    "One member presents a practice; everyone discusses.",
                )?,
                format: EventFormat::Roundtable,
                mode: EventMode::Online,
                schedule: Schedule::parse(
                    start,
                    start + Duration::minutes(90),
                    "America/Mexico_City",
                    Some("FREQ=MONTHLY;BYDAY=2TU"),
                )?,
                location: Description::parse("location", "")?,
                join_url: JoinUrl::parse(
                    "joinUrl",
                    "https://meet.example.org/forestry-roundtable",
                )?,
                capacity: Some(Capacity::parse("capacity", 40)?),
            },
        )
        .await?;
    Ok(())
}

/// Two conversations to read, reply to and search: one in English in the members' lounge,
/// one in Spanish in the public announcements.
async fn conversations(
    services: &Services,
    luis: &AccessSet,
    maria: &AccessSet,
    (announcements, lounge): (SpaceId, SpaceId),
) -> DomainResult<()> {
    let (_, question) = services
        .start_thread(
            maria,
            NewThread {
                space_id: lounge,
                title: Title::parse("title", "How often do you remeasure permanent plots?")?,
                body: PostBody::parse(
                    "body",
                    "Our ejido measured its permanent plots in 2024. Is a five-year cycle \
                     enough for carbon monitoring, or do you remeasure every two years?",
                )?,
                mentions: vec![],
            },
        )
        .await?;
    services
        .create_post(
            luis,
            NewPost {
                thread_id: question.thread_id,
                body: PostBody::parse(
                    "body",
                    "We remeasure a fifth of the plots every year, so each plot is measured \
                     every five years and the inventory never goes stale.",
                )?,
                reply_to: Some(question.id),
                mentions: vec![],
            },
        )
        .await?;
    services
        .start_thread(
            luis,
            NewThread {
                space_id: announcements,
                title: Title::parse("title", "Preparativos para la temporada de incendios")?,
                body: PostBody::parse(
                    "body",
                    "Las brigadas comunitarias se reúnen en marzo para planear las quemas \
                     prescritas y revisar el equipo.",
                )?,
                mentions: vec![],
            },
        )
        .await?;
    Ok(())
}

/// Forestry's success indicators: posts per month measured from activity, and hectares
/// under community monitoring recorded by hand each quarter.
async fn indicators(
    services: &Services,
    luis: &AccessSet,
    community: CommunityId,
) -> DomainResult<()> {
    services
        .define_indicator(
            luis,
            NewIndicator {
                scope: IndicatorScope::Community(community),
                kind: IndicatorKind::Posts,
                name: Name::parse("name", "Posts per month")?,
                target: 20.0,
                period: Period::Month,
                manual: None,
            },
        )
        .await?;
    let hectares = services
        .define_indicator(
            luis,
            NewIndicator {
                scope: IndicatorScope::Community(community),
                kind: IndicatorKind::Custom,
                name: Name::parse("name", "Hectares under community monitoring")?,
                target: 5000.0,
                period: Period::Quarter,
                manual: None,
            },
        )
        .await?;
    let this_quarter = Period::Quarter.start_of(Utc::now());
    let last_quarter = Period::Quarter.start_of(this_quarter - Duration::days(1));
    for (start, value, note) in [
        (
            last_quarter,
            3200.0,
            "Three ejidos in the Sierra de Manantlán.",
        ),
        (this_quarter, 4100.0, "A fourth ejido joined this quarter."),
    ] {
        services
            .record_indicator_value(
                luis,
                hectares.id,
                start,
                value,
                Description::parse("note", note)?,
            )
            .await?;
    }
    Ok(())
}

async fn person(services: &Services, subject: &str, name: &str) -> DomainResult<PersonId> {
    Ok(services
        .provision_person(subject, name, Some(&format!("{subject}@example.org")))
        .await?
        .id)
}

async fn access(services: &Services, person: PersonId) -> DomainResult<AccessSet> {
    services
        .access_of(Actor::Person {
            id: person,
            platform_admin: false,
        })
        .await
}

/// Seeds the demo unless the database already has organizations. Returns whether it seeded.
pub async fn seed(services: &Services) -> DomainResult<bool> {
    if !services.is_empty().await? {
        return Ok(false);
    }
    let mut people = Vec::new();
    for (subject, name, _) in PERSONAS {
        people.push(person(services, subject, name).await?);
    }
    let [ana, luis, maria, _jorge] = people[..] else {
        return Ok(false);
    };

    let fmcn = services
        .create_organization(
            &access(services, ana).await?,
            NewOrganization {
                slug: Slug::parse("slug", "fmcn")?,
                name: Name::parse("name", "Mexican Fund for the Conservation of Nature")?,
            },
        )
        .await?;
    let conafor = services
        .create_organization(
            &access(services, luis).await?,
            NewOrganization {
                slug: Slug::parse("slug", "conafor")?,
                name: Name::parse("name", "National Forestry Commission")?,
            },
        )
        .await?;
    services
        .add_affiliation(
            &access(services, luis).await?,
            conafor.id,
            maria,
            OrgRole::Member,
        )
        .await?;

    let network = services
        .create_network(
            &access(services, ana).await?,
            NewNetwork {
                host_organization_id: fmcn.id,
                slug: Slug::parse("slug", "conservation-learning")?,
                name: Name::parse("name", "Mexican Conservation Learning Network")?,
                description: Description::parse(
                    "description",
                    "Practitioners of conservation across Mexico, organised in regional clusters.",
                )?,
                visibility: NetworkVisibility::Public,
            },
        )
        .await?;
    let ana_access = access(services, ana).await?;
    let northwest = services
        .create_cluster(
            &ana_access,
            NewCluster {
                network_id: network.id,
                slug: Slug::parse("slug", "northwest")?,
                name: Name::parse("name", "Northwest")?,
            },
        )
        .await?;
    services
        .create_cluster(
            &ana_access,
            NewCluster {
                network_id: network.id,
                slug: Slug::parse("slug", "yucatan")?,
                name: Name::parse("name", "Yucatán")?,
            },
        )
        .await?;

    let forestry = services
        .create_community(
            &access(services, luis).await?,
            NewCommunity {
                network_id: network.id,
                slug: Slug::parse("slug", "community-forestry")?,
                name: Name::parse("name", "Community Forestry")?,
                description: Description::parse(
                    "description",
                    "Ejidos, NGOs and agencies learning together about community forest management.",
                )?,
                visibility: CommunityVisibility::Public,
                join_policy: JoinPolicy::Approval,
                cluster_ids: vec![northwest.id],
                host_organization_id: Some(conafor.id),
                allowed_organization_ids: vec![],
            },
        )
        .await?;
    let luis_access = access(services, luis).await?;
    services
        .set_community_stage(&luis_access, forestry.id, Stage::Launching)
        .await?;
    let launch = charter_and_launch(services, &luis_access, forestry.id).await?;
    services
        .set_community_stage(&luis_access, forestry.id, Stage::Active)
        .await?;
    let spaces = [
        ("announcements", "Announcements", SpaceVisibility::Public),
        (
            "members-lounge",
            "Members' lounge",
            SpaceVisibility::Members,
        ),
        ("core-group", "Core group", SpaceVisibility::Private),
    ];
    let mut core_group = None;
    let mut announcements = None;
    let mut lounge = None;
    for (slug, name, visibility) in spaces {
        let space = services
            .create_space(
                &luis_access,
                NewSpace {
                    community_id: forestry.id,
                    slug: Slug::parse("slug", slug)?,
                    name: Name::parse("name", name)?,
                    description: Description::parse("description", "")?,
                    visibility,
                },
            )
            .await?;
        if visibility == SpaceVisibility::Private {
            core_group = Some(space.id);
        }
        if visibility == SpaceVisibility::Public {
            roundtables(services, &luis_access, space.id).await?;
            announcements = Some(space.id);
        }
        if visibility == SpaceVisibility::Members {
            lounge = Some(space.id);
        }
    }
    let invitation = services
        .invite_to_community(
            &luis_access,
            forestry.id,
            maria,
            Message::parse("message", "Welcome to the core group!")?,
        )
        .await?;
    services
        .answer_invitation(&access(services, maria).await?, invitation.id, true)
        .await?;
    let luis_access = access(services, luis).await?;
    services
        .grant_role(&luis_access, forestry.id, maria, Role::Core)
        .await?;
    if let Some(space) = core_group {
        services
            .add_space_member(&luis_access, space, maria)
            .await?;
    }
    if let (Some(announcements), Some(lounge)) = (announcements, lounge) {
        let maria_access = access(services, maria).await?;
        assets(
            services,
            &luis_access,
            &maria_access,
            (announcements, lounge),
            launch,
        )
        .await?;
        conversations(
            services,
            &luis_access,
            &maria_access,
            (announcements, lounge),
        )
        .await?;
    }
    indicators(services, &luis_access, forestry.id).await?;
    onboarding(services, &luis_access, forestry.id).await?;
    let maria_access = access(services, maria).await?;
    knowledge_map(
        services,
        &ana_access,
        &luis_access,
        &maria_access,
        network.id,
    )
    .await?;

    services
        .create_community(
            &access(services, ana).await?,
            NewCommunity {
                network_id: network.id,
                slug: Slug::parse("slug", "fire-management")?,
                name: Name::parse("name", "Fire Management")?,
                description: Description::parse(
                    "description",
                    "Network members sharing fire-management practice.",
                )?,
                visibility: CommunityVisibility::Network,
                join_policy: JoinPolicy::Open,
                cluster_ids: vec![],
                host_organization_id: Some(fmcn.id),
                allowed_organization_ids: vec![],
            },
        )
        .await?;
    Ok(true)
}
