use chrono::{DateTime, Utc};

use super::code_enum;
use crate::ids::{AssetId, AssetVersionId, CommunityId, EventId, PersonId, SpaceId};

code_enum!(
    /// What kind of knowledge an asset holds (the WBG toolkit's knowledge products).
    AssetKind {
        /// A set of tools and guidance.
        Toolkit = "TOOLKIT",
        /// A reusable template.
        Template = "TEMPLATE",
        /// A documented case.
        CaseStudy = "CASE_STUDY",
        /// A lesson learned.
        LessonLearned = "LESSON_LEARNED",
        /// A blog post.
        Blog = "BLOG",
        /// A learning product (course, guide).
        LearningProduct = "LEARNING_PRODUCT",
        /// A recording of a convening.
        Recording = "RECORDING",
        /// Anything else.
        Other = "OTHER",
    }
);

code_enum!(
    /// Where an asset is in its peer review.
    AssetStatus {
        /// Being written: seen by its author and the community's managers only.
        Draft = "DRAFT",
        /// Submitted to named reviewers: seen by its author, the reviewers and the managers.
        InReview = "IN_REVIEW",
        /// Approved by every reviewer: seen by whoever reads its space.
        Published = "PUBLISHED",
        /// Withdrawn from use, kept for the record: seen by whoever reads its space, marked.
        Retired = "RETIRED",
    }
);

code_enum!(
    /// A reviewer's decision.
    ReviewDecision {
        /// Ready to publish.
        Approve = "APPROVE",
        /// Back to the author as a draft.
        RequestChanges = "REQUEST_CHANGES",
    }
);

/// What one version of an asset says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AssetContent {
    /// Its title.
    pub title: String,
    /// A short summary.
    pub summary: String,
    /// The body, in Markdown.
    pub body: String,
    /// The body rendered to sanitized HTML.
    pub body_html: String,
    /// Where it lives, when it is a file or a page elsewhere.
    pub url: Option<String>,
    /// Free tags, lowercase, sorted, without duplicates.
    pub tags: Vec<String>,
}

/// A knowledge asset of a space: a toolkit, a case study, a recording (seed 003 step 6, seed
/// 004 lesson 5), published through peer review.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Asset {
    /// Key.
    pub id: AssetId,
    /// The community of its space.
    pub community_id: CommunityId,
    /// Its space.
    pub space_id: SpaceId,
    /// Who created it (`None` once their record is gone).
    pub author_id: Option<PersonId>,
    /// Its kind.
    pub kind: AssetKind,
    /// Where it is in review.
    pub status: AssetStatus,
    /// The current version's content.
    pub content: AssetContent,
    /// The current version: 1, then one more per revision.
    pub version: u32,
    /// The current review round (0 before the first submission).
    pub review_round: u32,
    /// The reviewers named in the current round.
    pub reviewers: Vec<PersonId>,
    /// When it was first published.
    pub published_at: Option<DateTime<Utc>>,
    /// When it was retired.
    pub retired_at: Option<DateTime<Utc>>,
    /// When it was created.
    pub created_at: DateTime<Utc>,
    /// When it last changed (content or status).
    pub updated_at: DateTime<Utc>,
}

impl Asset {
    /// Its author is this person.
    pub fn is_author(&self, person: Option<PersonId>) -> bool {
        person.is_some() && self.author_id == person
    }
}

/// One version of an asset, kept when it is revised.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AssetVersion {
    /// Key.
    pub id: AssetVersionId,
    /// The asset.
    pub asset_id: AssetId,
    /// 1 for the first.
    pub version: u32,
    /// What it said.
    pub content: AssetContent,
    /// Who wrote it.
    pub author_id: Option<PersonId>,
    /// When.
    pub created_at: DateTime<Utc>,
}

/// A named reviewer's part in one review round.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AssetReview {
    /// The asset.
    pub asset_id: AssetId,
    /// The round (1 for the first submission).
    pub round: u32,
    /// The reviewer.
    pub reviewer_id: PersonId,
    /// Their decision, once given.
    pub decision: Option<ReviewDecision>,
    /// Their comment.
    pub comment: String,
    /// When they were asked.
    pub requested_at: DateTime<Utc>,
    /// When they decided.
    pub decided_at: Option<DateTime<Utc>>,
}

/// An asset that came out of an event (a recording, the notes).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EventOutput {
    /// The event.
    pub event_id: EventId,
    /// The asset.
    pub asset_id: AssetId,
}
