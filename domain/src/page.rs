//! Keyset pagination shared by every list: a validated [`PageRequest`] in, an [`IdPage`] out.
//! Lists are ordered by a time-ordered UUID key, so a cursor is just that key.

use uuid::Uuid;

use crate::error::{DomainError, DomainResult};

/// Largest page.
pub const MAX_PAGE_SIZE: u32 = 100;
/// Page size when the caller gives neither `first` nor `last`.
pub const DEFAULT_PAGE_SIZE: u32 = 20;

/// Reading direction.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Direction {
    /// `first`: oldest first, from after `after`.
    Forward,
    /// `last`: the newest items before `before`.
    Backward,
}

/// A validated page request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct PageRequest {
    /// Which end to read from.
    pub direction: Direction,
    /// Page size, 1..=100.
    pub limit: u32,
    /// Only keys strictly greater than this.
    pub after: Option<Uuid>,
    /// Only keys strictly smaller than this.
    pub before: Option<Uuid>,
}

impl PageRequest {
    /// Validates Relay arguments: `first` or `last` (not both), each 1..=100; neither means the
    /// first 20.
    pub fn new(
        first: Option<i32>,
        after: Option<Uuid>,
        last: Option<i32>,
        before: Option<Uuid>,
    ) -> DomainResult<Self> {
        let size = |field: &'static str, n: i32| -> DomainResult<u32> {
            u32::try_from(n)
                .ok()
                .filter(|n| (1..=MAX_PAGE_SIZE).contains(n))
                .ok_or_else(|| {
                    DomainError::invalid(
                        field,
                        format!("must be between 1 and {MAX_PAGE_SIZE}, got {n}"),
                    )
                })
        };
        let (direction, limit) = match (first, last) {
            (Some(_), Some(_)) => {
                return Err(DomainError::invalid(
                    "last",
                    "give either first or last, not both",
                ));
            }
            (Some(n), None) => (Direction::Forward, size("first", n)?),
            (None, Some(n)) => (Direction::Backward, size("last", n)?),
            (None, None) => (Direction::Forward, DEFAULT_PAGE_SIZE),
        };
        Ok(Self {
            direction,
            limit,
            after,
            before,
        })
    }

    /// The first `limit` items.
    pub fn first(limit: u32) -> Self {
        Self {
            direction: Direction::Forward,
            limit: limit.clamp(1, MAX_PAGE_SIZE),
            after: None,
            before: None,
        }
    }
}

/// One item of a page: its cursor key and the id of the node it points at (they differ for
/// link rows, such as a steward: key of the stewardship, id of the person).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PageItem {
    /// Ordering key, used as cursor.
    pub key: Uuid,
    /// The node.
    pub id: Uuid,
}

/// A page of node ids.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct IdPage {
    /// Items in ascending key order.
    pub items: Vec<PageItem>,
    /// More items follow the last one.
    pub has_next_page: bool,
    /// More items precede the first one.
    pub has_previous_page: bool,
}

impl IdPage {
    /// Builds a page from rows fetched in reading order with `LIMIT limit + 1`.
    pub fn from_rows(mut rows: Vec<PageItem>, request: &PageRequest) -> Self {
        let limit = request.limit as usize;
        let more = rows.len() > limit;
        rows.truncate(limit);
        match request.direction {
            Direction::Forward => Self {
                items: rows,
                has_next_page: more,
                has_previous_page: request.after.is_some(),
            },
            Direction::Backward => {
                rows.reverse();
                Self {
                    items: rows,
                    has_next_page: request.before.is_some(),
                    has_previous_page: more,
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_size_must_be_between_one_and_one_hundred() {
        assert!(PageRequest::new(Some(1), None, None, None).is_ok());
        assert!(PageRequest::new(Some(100), None, None, None).is_ok());
        for bad in [0, -1, 101] {
            assert!(PageRequest::new(Some(bad), None, None, None).is_err());
            assert!(PageRequest::new(None, None, Some(bad), None).is_err());
        }
        assert!(PageRequest::new(Some(1), None, Some(1), None).is_err());
        assert_eq!(
            PageRequest::new(None, None, None, None)
                .map(|p| p.limit)
                .ok(),
            Some(DEFAULT_PAGE_SIZE)
        );
    }

    #[test]
    fn backward_page_is_returned_in_ascending_order() {
        let item = |n: u128| PageItem {
            key: Uuid::from_u128(n),
            id: Uuid::from_u128(n),
        };
        let request = PageRequest::new(None, None, Some(2), None).unwrap_or(PageRequest::first(2));
        let page = IdPage::from_rows(vec![item(9), item(8), item(7)], &request);
        assert_eq!(page.items, vec![item(8), item(9)]);
        assert!(page.has_previous_page);
        assert!(!page.has_next_page);
    }
}
