//! The seeded demo: a conservation learning network in the spirit of the CAMAFU case (seed
//! 004), created through the same services and rules as the API. Seeding runs only on an
//! empty database.

use copnet_domain::{
    AccessSet, Actor, DomainResult,
    ids::PersonId,
    model::{
        CommunityVisibility, JoinPolicy, NetworkVisibility, OrgRole, Role, SpaceVisibility, Stage,
    },
    service::{NewCluster, NewCommunity, NewNetwork, NewOrganization, NewSpace, Services},
    values::{Description, Message, Name, Slug},
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
