//! Who shares which HTTP/2 connection: a target's users in groups of up to
//! `--http2-streams`, each group one connection, opened by the first of
//! its users that sends and reopened when it closes. A group holds users
//! of one generator thread only: the connection's task runs on the thread
//! that opened it and is woken by no other (see `load::workers`).

use std::sync::{Arc, Mutex, PoisonError, Weak};
use std::thread::ThreadId;

use h2::client::SendRequest;
use hyper::body::Bytes;
use hyper::http::uri::{Authority, Scheme};
use perf_record::target::{self, TargetUrl};

use super::counted::Counts;
#[cfg(feature = "tls")]
use crate::load::http::client::tls::Tls;
use crate::load::http::options::Http2Options;

/// An HTTP/2 target's connections, shared by its users.
pub(crate) struct Http2Pool {
    /// How a connection is opened.
    pub(super) dial: Dial,
    /// The `:scheme` of every request.
    pub(super) scheme: Scheme,
    /// The `:authority` of every request.
    pub(super) authority: Authority,
    /// `--http2`: a server that does not choose `h2` is an error, not
    /// spoken to over HTTP/1.1.
    #[cfg_attr(
        not(feature = "tls"),
        expect(dead_code, reason = "only a TLS server chooses its protocol")
    )]
    pub(super) only: bool,
    /// Users per connection.
    streams: usize,
    /// The groups, each with the thread its users run on; a group with no
    /// user left is gone.
    groups: Mutex<Vec<(ThreadId, Weak<Group>)>>,
}

/// How an HTTP/2 connection is opened.
pub(crate) enum Dial {
    /// Cleartext, HTTP/2 by prior knowledge (`--http2`).
    Plain,
    /// TLS offering `h2` by ALPN (and `http/1.1` unless `--http2`).
    #[cfg(feature = "tls")]
    Tls(Tls),
}

/// Users that share one connection.
#[derive(Default)]
pub(super) struct Group {
    /// The connection, while one is open: locked while one is opened, so
    /// that the group's other users wait for it rather than open their
    /// own.
    pub(super) live: tokio::sync::Mutex<Option<Live>>,
}

/// An open HTTP/2 connection: the handle requests are sent through, and
/// what its task counts.
#[derive(Clone)]
pub(super) struct Live {
    pub(super) send: SendRequest<Bytes>,
    pub(super) counts: Arc<Counts>,
}

impl Http2Pool {
    /// The pool of `url`'s connections, opened as `dial` says.
    pub(crate) fn new(
        url: &TargetUrl,
        dial: Dial,
        options: Http2Options,
    ) -> Result<Arc<Self>, String> {
        let scheme = match url.scheme {
            target::Scheme::Http => Scheme::HTTP,
            target::Scheme::Https => Scheme::HTTPS,
        };
        let authority = Authority::try_from(url.authority.as_str())
            .map_err(|e| format!("`{}` cannot be an HTTP/2 authority: {e}", url.authority))?;
        Ok(Arc::new(Self {
            dial,
            scheme,
            authority,
            only: options.only,
            streams: usize::try_from(options.streams).unwrap_or(usize::MAX),
            groups: Mutex::default(),
        }))
    }

    /// The group a new user of this thread joins: one with room, or a new
    /// one. With one stream per connection, every user has its own.
    pub(super) fn join(&self) -> Arc<Group> {
        if self.streams <= 1 {
            return Arc::default();
        }
        let me = std::thread::current().id();
        let mut groups = self.groups.lock().unwrap_or_else(PoisonError::into_inner);
        groups.retain(|(_, group)| group.strong_count() > 0);
        let roomy = groups
            .iter()
            .filter(|(thread, _)| *thread == me)
            .filter_map(|(_, group)| group.upgrade())
            // The members, and the one just upgraded.
            .find(|group| Arc::strong_count(group) <= self.streams);
        roomy.unwrap_or_else(|| {
            let group = Arc::new(Group::default());
            groups.push((me, Arc::downgrade(&group)));
            group
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pool(streams: u32) -> Arc<Http2Pool> {
        let url = TargetUrl::parse("http://127.0.0.1:9").unwrap();
        let options = Http2Options {
            only: true,
            streams,
        };
        Http2Pool::new(&url, Dial::Plain, options).unwrap()
    }

    #[test]
    fn users_share_a_connection_up_to_the_streams_per_connection() {
        let shared = pool(3);
        let users: Vec<Arc<Group>> = (0..7).map(|_| shared.join()).collect();
        let same = |a: usize, b: usize| Arc::ptr_eq(&users[a], &users[b]);
        assert!(same(0, 1) && same(1, 2) && !same(2, 3));
        assert!(same(3, 5) && !same(5, 6));
        // A user that leaves makes room in its group.
        drop(users);
        let again = shared.join();
        assert_eq!(Arc::strong_count(&again), 1);
        let alone = pool(1);
        assert!(!Arc::ptr_eq(&alone.join(), &alone.join()));
    }

    #[test]
    fn a_group_holds_users_of_one_thread_only() {
        let shared = pool(4);
        let here = shared.join();
        let there = std::thread::scope(|s| s.spawn(|| shared.join()).join().unwrap());
        assert!(!Arc::ptr_eq(&here, &there));
    }
}
