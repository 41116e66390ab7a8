//! Loader batches per level of a query, decided by the request's own polls instead of a
//! timer.
//!
//! async-graphql resolves the fields and list items of one level by polling them in one pass
//! of the request's future; each asks its loader for a key and waits. The loaders' spawner
//! puts each batch task in this request's queue, and [`Batches::drive`] starts them right
//! after that pass: a batch holds exactly the keys of its level, whatever the machine's load
//! (a timer window splits a level when the pass outlasts it, and delays every level by its
//! length). Batches run inside the request's task, concurrently with each other.
//!
//! Outside a driven future (nothing polls the queue), batch tasks go to the runtime.

use std::{
    future::Future,
    mem,
    pin::Pin,
    sync::{
        Arc, Mutex, PoisonError,
        atomic::{AtomicBool, Ordering},
    },
    task::{Context, Poll, Wake, Waker},
};

use futures_util::{
    Stream, StreamExt,
    future::BoxFuture,
    stream::{BoxStream, FuturesUnordered},
    task::AtomicWaker,
};

#[derive(Default)]
struct Queue {
    tasks: Vec<BoxFuture<'static, ()>>,
    /// The driving task, while one polls the queue.
    driver: Option<Waker>,
}

/// The batch queue of one request.
#[derive(Clone, Default)]
pub struct Batches {
    queue: Arc<Mutex<Queue>>,
}

impl Batches {
    fn queue(&self) -> std::sync::MutexGuard<'_, Queue> {
        self.queue.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The loaders' spawner: queues a batch for the driver, or gives it to the runtime.
    pub fn spawn(&self, task: BoxFuture<'static, ()>) {
        let mut queue = self.queue();
        match &queue.driver {
            Some(driver) => {
                driver.wake_by_ref();
                queue.tasks.push(task);
            }
            None => {
                drop(queue);
                tokio::spawn(task);
            }
        }
    }

    /// `future`, with this queue's batches run between its polls.
    pub fn drive<F: Future>(&self, future: F) -> Driven<F> {
        Driven {
            inner: Box::pin(future),
            state: State::new(self),
        }
    }

    /// `stream`, with this queue's batches run between its polls (a subscription).
    pub fn drive_stream<T: 'static>(&self, stream: BoxStream<'static, T>) -> BoxStream<'static, T> {
        DrivenStream {
            inner: stream,
            state: State::new(self),
        }
        .boxed()
    }

    fn register(&self, waker: &Waker) {
        let mut queue = self.queue();
        if !queue.driver.as_ref().is_some_and(|w| w.will_wake(waker)) {
            queue.driver = Some(waker.clone());
        }
    }

    fn take(&self) -> Vec<BoxFuture<'static, ()>> {
        mem::take(&mut self.queue().tasks)
    }

    /// Nothing drives the queue any more: what is queued goes to the runtime.
    fn release(&self) {
        let tasks = {
            let mut queue = self.queue();
            queue.driver = None;
            mem::take(&mut queue.tasks)
        };
        for task in tasks {
            tokio::spawn(task);
        }
    }
}

/// Whether the driven future was woken, and the task to wake: the future is polled again
/// only when something it waits for happened, not on every read of a batch's socket (a
/// poll walks every pending field of the query).
#[derive(Default)]
struct Flag {
    woken: AtomicBool,
    task: AtomicWaker,
}

impl Wake for Flag {
    fn wake(self: Arc<Self>) {
        self.wake_by_ref();
    }

    fn wake_by_ref(self: &Arc<Self>) {
        self.woken.store(true, Ordering::Release);
        self.task.wake();
    }
}

/// What a driver keeps beside its future.
struct State {
    batches: Batches,
    running: FuturesUnordered<BoxFuture<'static, ()>>,
    flag: Arc<Flag>,
    waker: Waker,
}

impl State {
    fn new(batches: &Batches) -> Self {
        let flag = Arc::new(Flag {
            woken: AtomicBool::new(true),
            task: AtomicWaker::new(),
        });
        Self {
            batches: batches.clone(),
            running: FuturesUnordered::new(),
            waker: Waker::from(Arc::clone(&flag)),
            flag,
        }
    }

    /// Polls the batches in flight, then (when woken) `poll_inner`, then starts what it
    /// queued; again while anything finished or was queued.
    fn step<T>(
        &mut self,
        cx: &mut Context<'_>,
        mut poll_inner: impl FnMut(&mut Context<'_>) -> Poll<T>,
    ) -> Poll<T> {
        self.batches.register(cx.waker());
        self.flag.task.register(cx.waker());
        loop {
            let mut finished = false;
            while let Poll::Ready(Some(())) = self.running.poll_next_unpin(cx) {
                finished = true;
            }
            if self.flag.woken.swap(false, Ordering::AcqRel) {
                let mut inner_cx = Context::from_waker(&self.waker);
                if let Poll::Ready(out) = poll_inner(&mut inner_cx) {
                    // A stream that yielded registered no waker: poll it next time.
                    self.flag.woken.store(true, Ordering::Release);
                    return Poll::Ready(out);
                }
            }
            let queued = self.batches.take();
            if queued.is_empty() && !finished && !self.flag.woken.load(Ordering::Acquire) {
                return Poll::Pending;
            }
            self.running.extend(queued);
        }
    }
}

impl Drop for State {
    fn drop(&mut self) {
        self.batches.release();
    }
}

/// A future whose loader batches run between its polls.
pub struct Driven<F> {
    inner: Pin<Box<F>>,
    state: State,
}

impl<F: Future> Future for Driven<F> {
    type Output = F::Output;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<F::Output> {
        let this = self.get_mut();
        let inner = &mut this.inner;
        this.state.step(cx, |cx| inner.as_mut().poll(cx))
    }
}

struct DrivenStream<T> {
    inner: BoxStream<'static, T>,
    state: State,
}

impl<T> Stream for DrivenStream<T> {
    type Item = T;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<T>> {
        let this = self.get_mut();
        let inner = &mut this.inner;
        this.state.step(cx, |cx| inner.poll_next_unpin(cx))
    }
}
