//! Paging through list actions: `client.describe_public_ips().limit(50).into_paginator()`.
//!
//! A list action (request `Offset` and `Limit`, response `TotalCount` and one list) gets
//! `into_paginator()` on its generated builder, which implements [`Paginate`]. The
//! [`Paginator`] asks for the first page exactly as the builder was set up (the caller's
//! `Limit` is the page size, the caller's `Offset` the start), then moves `Offset` past
//! what it has received. It stops:
//!
//! - when the next offset reaches `TotalCount` (`TotalCount` missing: no bound);
//! - on an empty page, so that a server whose data shrinks (or that ignores `Offset`
//!   past the end) cannot keep it going forever;
//! - after yielding an error, which ends the stream: a failed page is not skipped.
//!
//! Each page is one call with the builder's [`CallOptions`](crate::CallOptions), so
//! retries apply per page.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use futures_util::stream::{self, BoxStream, Stream, StreamExt};

use crate::error::{ErrorKind, SdkError};

/// A request that can be paged by offset; implemented by generated builders.
pub trait Paginate: Clone + Send + 'static {
    /// The action's response.
    type Page: Send + 'static;
    /// An element of the response's list.
    type Item: Send + 'static;
    /// The action's error.
    type Error: ErrorKind;

    /// The offset the first page starts at (the caller's `Offset`, else 0).
    fn start_offset(&self) -> u64;
    /// This request, for the page at `offset`.
    fn at_offset(self, offset: u64) -> Self;
    /// Sends this request.
    fn send_page(self) -> impl Future<Output = Result<Self::Page, SdkError<Self::Error>>> + Send;
    /// The page's `TotalCount`, if it has a usable one.
    fn total_count(page: &Self::Page) -> Option<u64>;
    /// How many items the page holds.
    fn item_count(page: &Self::Page) -> usize;
    /// The page's items.
    fn into_items(page: Self::Page) -> Vec<Self::Item>;
}

/// `Offset` and `TotalCount` are `int64` or `uint64` in the schema; the paginator counts
/// in `u64`.
pub trait Position: Sized {
    /// `None` for a negative value.
    fn to_position(self) -> Option<u64>;
    /// Saturates: no real listing has 2^63 items.
    fn from_position(position: u64) -> Self;
}

impl Position for i64 {
    fn to_position(self) -> Option<u64> {
        u64::try_from(self).ok()
    }
    fn from_position(position: u64) -> Self {
        i64::try_from(position).unwrap_or(i64::MAX)
    }
}

impl Position for u64 {
    fn to_position(self) -> Option<u64> {
        Some(self)
    }
    fn from_position(position: u64) -> Self {
        position
    }
}

type PageResult<R> = Result<<R as Paginate>::Page, SdkError<<R as Paginate>::Error>>;

/// The pages of a list action, as a [`Stream`] or one at a time with
/// [`next_page`](Self::next_page); [`items`](Self::items) flattens them.
#[must_use = "nothing is sent until the paginator is polled"]
pub struct Paginator<R: Paginate> {
    pages: BoxStream<'static, PageResult<R>>,
}

/// Where the paginator is: what to ask for next, or nothing.
struct Cursor<R> {
    request: R,
    /// `None` before the first page, which is sent as the caller built it.
    next_offset: Option<u64>,
}

impl<R: Paginate> Paginator<R> {
    pub fn new(request: R) -> Self {
        let cursor = Some(Cursor {
            request,
            next_offset: None,
        });
        Self {
            pages: stream::unfold(cursor, Self::step).boxed(),
        }
    }

    /// The next page; `None` once every page has been yielded or after an error.
    pub async fn next_page(&mut self) -> Option<PageResult<R>> {
        self.pages.next().await
    }

    /// The items of every page, in order; an error ends the stream after it is yielded.
    pub fn items(self) -> impl Stream<Item = Result<R::Item, SdkError<R::Error>>> + Send {
        self.pages.flat_map(|page| {
            let items: Vec<_> = match page {
                Ok(page) => R::into_items(page).into_iter().map(Ok).collect(),
                Err(error) => vec![Err(error)],
            };
            stream::iter(items)
        })
    }

    async fn step(cursor: Option<Cursor<R>>) -> Option<(PageResult<R>, Option<Cursor<R>>)> {
        let Cursor {
            request,
            next_offset,
        } = cursor?;
        let offset = next_offset.unwrap_or_else(|| request.start_offset());
        let this_page = match next_offset {
            None => request.clone(),
            Some(offset) => request.clone().at_offset(offset),
        };
        let page = match this_page.send_page().await {
            Ok(page) => page,
            Err(error) => return Some((Err(error), None)),
        };
        let received = u64::try_from(R::item_count(&page)).unwrap_or(u64::MAX);
        let next = offset.saturating_add(received);
        let done = received == 0 || R::total_count(&page).is_some_and(|total| next >= total);
        let cursor = (!done).then_some(Cursor {
            request,
            next_offset: Some(next),
        });
        Some((Ok(page), cursor))
    }
}

impl<R: Paginate> Stream for Paginator<R> {
    type Item = PageResult<R>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.pages.poll_next_unpin(cx)
    }
}

impl<R: Paginate> std::fmt::Debug for Paginator<R> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Paginator").finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use std::sync::{Arc, Mutex};

    use super::*;
    use crate::error::InvalidRequest;

    #[derive(Debug)]
    struct TestError;

    impl ErrorKind for TestError {
        fn from_code(_: &str) -> Self {
            Self
        }
    }

    /// What a page of the fake server holds.
    #[derive(Debug)]
    struct Page {
        total: Option<u64>,
        items: Vec<u64>,
    }

    /// A request to a fake server: `serve(offset)` answers it, and the offsets asked for
    /// are recorded (`None`: the caller's own, unchanged).
    #[derive(Clone)]
    struct Fake {
        offset: Option<u64>,
        serve: Arc<dyn Fn(u64) -> Option<Page> + Send + Sync>,
        asked: Arc<Mutex<Vec<Option<u64>>>>,
    }

    impl Fake {
        fn new(
            offset: Option<u64>,
            serve: impl Fn(u64) -> Option<Page> + Send + Sync + 'static,
        ) -> Self {
            Self {
                offset,
                serve: Arc::new(serve),
                asked: Arc::default(),
            }
        }

        /// A listing of `total` items, `limit` at a time.
        fn listing(offset: Option<u64>, total: u64, limit: u64) -> Self {
            Self::new(offset, move |at| {
                Some(Page {
                    total: Some(total),
                    items: (at..total.min(at + limit)).collect(),
                })
            })
        }

        fn asked(&self) -> Vec<Option<u64>> {
            self.asked.lock().unwrap().clone()
        }
    }

    impl Paginate for Fake {
        type Page = Page;
        type Item = u64;
        type Error = TestError;

        fn start_offset(&self) -> u64 {
            self.offset.unwrap_or(0)
        }
        fn at_offset(mut self, offset: u64) -> Self {
            self.offset = Some(offset);
            self
        }
        async fn send_page(self) -> Result<Page, SdkError<TestError>> {
            self.asked.lock().unwrap().push(self.offset);
            (self.serve)(self.offset.unwrap_or(0)).ok_or_else(|| {
                SdkError::InvalidRequest(InvalidRequest::missing_field("Fake", "Page"))
            })
        }
        fn total_count(page: &Page) -> Option<u64> {
            page.total
        }
        fn item_count(page: &Page) -> usize {
            page.items.len()
        }
        fn into_items(page: Page) -> Vec<u64> {
            page.items
        }
    }

    async fn items(request: Fake) -> Vec<Result<u64, String>> {
        Paginator::new(request)
            .items()
            .map(|item| item.map_err(|e| e.to_string()))
            .collect()
            .await
    }

    #[tokio::test]
    async fn pages_until_total_count_from_the_callers_offset() {
        let fake = Fake::listing(None, 7, 3);
        let all: Vec<u64> = items(fake.clone()).await.into_iter().flatten().collect();
        assert_eq!(all, (0..7).collect::<Vec<_>>());
        // The first page as the caller built it, then offsets past what was received.
        assert_eq!(fake.asked(), [None, Some(3), Some(6)]);

        let fake = Fake::listing(Some(4), 7, 3);
        let all: Vec<u64> = items(fake.clone()).await.into_iter().flatten().collect();
        assert_eq!(all, [4, 5, 6]);
        assert_eq!(fake.asked(), [Some(4)]);
    }

    #[tokio::test]
    async fn an_empty_page_stops_a_server_whose_total_drifted() {
        // TotalCount says 10, but only 4 items are ever served.
        let fake = Fake::new(None, |at| {
            Some(Page {
                total: Some(10),
                items: (at..4.min(at + 2)).collect(),
            })
        });
        assert_eq!(items(fake.clone()).await.len(), 4);
        assert_eq!(fake.asked(), [None, Some(2), Some(4)]);
    }

    #[tokio::test]
    async fn without_total_count_it_pages_until_an_empty_page() {
        let fake = Fake::new(None, |at| {
            Some(Page {
                total: None,
                items: (at..5.min(at + 2)).collect(),
            })
        });
        assert_eq!(items(fake.clone()).await.len(), 5);
        assert_eq!(fake.asked(), [None, Some(2), Some(4), Some(5)]);
    }

    #[tokio::test]
    async fn an_error_is_yielded_once_and_ends_the_stream() {
        // The second page fails; the server would have had more.
        let fake = Fake::new(None, |at| {
            (at == 0).then(|| Page {
                total: Some(100),
                items: vec![0, 1],
            })
        });
        let got = items(fake.clone()).await;
        assert_eq!(got.len(), 3);
        assert!(got[2].is_err());
        assert_eq!(fake.asked(), [None, Some(2)]);

        let mut pages = Paginator::new(fake);
        assert!(pages.next_page().await.is_some_and(|p| p.is_ok()));
        assert!(pages.next_page().await.is_some_and(|p| p.is_err()));
        assert!(pages.next_page().await.is_none());
    }

    #[test]
    fn positions_convert_without_panicking() {
        assert_eq!((-1i64).to_position(), None);
        assert_eq!(i64::MAX.to_position(), Some(i64::MAX as u64));
        assert_eq!(i64::from_position(u64::MAX), i64::MAX);
        assert_eq!(u64::from_position(u64::MAX), u64::MAX);
    }
}
