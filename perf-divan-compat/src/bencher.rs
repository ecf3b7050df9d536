//! divan's `Bencher` over perf-runtime's: each `bench*` method is one of
//! perf-runtime's timed loops, so cargo perf's engine (warm-up, batch
//! sizing, samples) measures it.

use std::marker::PhantomData;

use crate::counter::IntoCounter;

/// Times a benchmark's routine; a `#[divan::bench]` function that takes
/// one calls exactly one of its `bench*` methods.
pub struct Bencher<'a, 'b, C = BencherConfig> {
    inner: &'a mut perf_runtime::Bencher,
    config: C,
    scope: PhantomData<&'b ()>,
}

/// What a [`Bencher`] has been given so far: inputs to generate, or none.
pub struct BencherConfig<GenI = ()> {
    gen_input: GenI,
}

impl<'a> Bencher<'a, '_> {
    pub(crate) fn new(inner: &'a mut perf_runtime::Bencher) -> Self {
        Self {
            inner,
            config: BencherConfig { gen_input: () },
            scope: PhantomData,
        }
    }
}

impl<'a, 'b> Bencher<'a, 'b> {
    /// Times `benched`; its result is dropped outside the timing.
    pub fn bench<O, B>(self, benched: B)
    where
        B: Fn() -> O,
    {
        self.inner.iter(benched);
    }

    /// Times `benched`, which need not be `Sync` (the same as
    /// [`Bencher::bench`] here: cargo perf runs one thread).
    pub fn bench_local<O, B>(self, benched: B)
    where
        B: FnMut() -> O,
    {
        self.inner.iter(benched);
    }

    /// Gives each iteration a fresh input from `gen_input`, made outside
    /// the timing.
    pub fn with_inputs<G>(self, gen_input: G) -> Bencher<'a, 'b, BencherConfig<G>> {
        Bencher {
            inner: self.inner,
            config: BencherConfig { gen_input },
            scope: PhantomData,
        }
    }

    /// divan's throughput counter: accepted, not shown (see
    /// [`crate::counter`]).
    pub fn counter<C: IntoCounter>(self, counter: C) -> Self {
        note_counter(&counter.into_counter().to_string());
        self
    }
}

impl<'a, 'b, I, G> Bencher<'a, 'b, BencherConfig<G>>
where
    G: FnMut() -> I,
{
    /// Times `benched` on each input by value; generating the inputs and
    /// dropping the outputs are not timed.
    pub fn bench_values<O, B>(self, benched: B)
    where
        B: Fn(I) -> O,
    {
        self.inner.iter_with_setup(self.config.gen_input, benched);
    }

    /// [`Self::bench_values`] for a routine that need not be `Sync`.
    pub fn bench_local_values<O, B>(self, benched: B)
    where
        B: FnMut(I) -> O,
    {
        self.inner.iter_with_setup(self.config.gen_input, benched);
    }

    /// Times `benched` on each input by reference; generating and dropping
    /// the inputs are not timed.
    pub fn bench_refs<O, B>(self, benched: B)
    where
        B: Fn(&mut I) -> O,
    {
        self.bench_local_refs(benched);
    }

    /// [`Self::bench_refs`] for a routine that need not be `Sync`.
    pub fn bench_local_refs<O, B>(self, mut benched: B)
    where
        B: FnMut(&mut I) -> O,
    {
        // The input is handed back with the output, so that it too is
        // dropped after the timing.
        self.inner
            .iter_with_setup(self.config.gen_input, |mut input| {
                let output = benched(&mut input);
                (input, output)
            });
    }

    /// divan's throughput counter: accepted, not shown (see
    /// [`crate::counter`]).
    pub fn counter<C: IntoCounter>(self, counter: C) -> Self {
        note_counter(&counter.into_counter().to_string());
        self
    }

    /// divan's throughput counter made from each input: accepted, not
    /// shown (see [`crate::counter`]).
    pub fn input_counter<C, F>(self, make_counter: F) -> Self
    where
        F: Fn(&I) -> C,
        C: IntoCounter,
    {
        let _ = make_counter;
        note_counter("made from each input");
        self
    }
}

/// The one line a counter set at run time gets: on stderr, where
/// `cargo bench` and `cargo test` show it (cargo perf lists the counters
/// given in the attribute instead; it cannot see these before the run).
fn note_counter(counter: &str) {
    eprintln!(
        "note: divan counter {counter} is not shown: cargo perf gates the time per iteration, whose change is the throughput's"
    );
}
