namespace FastLaDeDa.Engines.Cpu.LaDeDa;

/// <summary>A loop body the <see cref="LaDeDaWorkerPool"/> runs once per item index.</summary>
internal interface ILaDeDaParallelJob
{
    void Execute(int item);
}

/// <summary>
/// A small pool of background threads for the LaDeDa CPU engine's per-layer parallel loops — about
/// fifty per image, each a few hundred microseconds to a few milliseconds long. Unlike
/// <c>Parallel.For</c> it allocates nothing per loop, and the workers spin briefly between loops
/// (the next layer starts microseconds later) before they block.
/// </summary>
/// <remarks>
/// <para>Items are handed out one at a time from a ticket (loop generation in the high 32 bits,
/// next item in the low 32), so a worker that wakes late for a loop the caller already finished
/// takes nothing from the next one; the caller works on items too and returns when every item is
/// done. One run (one image) at a time owns the pool: <see cref="TryAcquire"/> fails while another
/// holds it, and that run then works on its calling thread alone.</para>
/// </remarks>
internal sealed class LaDeDaWorkerPool
{
    private static readonly Lazy<LaDeDaWorkerPool> SharedPool = new(() => new LaDeDaWorkerPool(Environment.ProcessorCount - 1));

    /// <summary>How long an idle worker looks for the next loop before it blocks.</summary>
    private static readonly long SpinTicks = System.Diagnostics.Stopwatch.Frequency / 10_000; // 100 µs

    private readonly Lock _owner = new();
    private readonly SemaphoreSlim[] _wake;
    private ILaDeDaParallelJob? _job;
    private int _items;
    private long _ticket;
    private int _done;
    private int _generation;
    private Exception? _failure;

    private LaDeDaWorkerPool(int workers)
    {
        Workers = Math.Max(0, workers);
        _wake = new SemaphoreSlim[Workers];
        for (int i = 0; i < Workers; i++)
        {
            _wake[i] = new SemaphoreSlim(0);
            var thread = new Thread(WorkerLoop) { IsBackground = true, Name = $"LaDeDa worker {i + 1}" };
            thread.Start(i);
        }
    }

    /// <summary>The process-wide pool: one worker per core besides the caller's.</summary>
    public static LaDeDaWorkerPool Shared => SharedPool.Value;

    /// <summary>Background threads (the caller is one more).</summary>
    public int Workers { get; }

    /// <summary>Takes the pool for one run; false while another run holds it.</summary>
    public bool TryAcquire() => _owner.TryEnter();

    /// <summary>Gives the pool back after <see cref="TryAcquire"/>.</summary>
    public void Release() => _owner.Exit();

    /// <summary>
    /// Runs <paramref name="job"/> for items 0..<paramref name="items"/>−1 on the caller and up to
    /// <paramref name="helpers"/> workers; returns when all are done. The caller must hold the pool.
    /// </summary>
    public void Run(ILaDeDaParallelJob job, int items, int helpers)
    {
        helpers = Math.Min(helpers, Math.Min(Workers, items - 1));
        if (helpers <= 0)
        {
            for (int i = 0; i < items; i++) job.Execute(i);
            return;
        }
        _job = job;
        _items = items;
        _done = 0;
        _failure = null;
        int generation = ++_generation;
        // Publishing the ticket opens the loop (the writes above are visible before it).
        Volatile.Write(ref _ticket, (long)generation << 32);
        for (int i = 0; i < helpers; i++) _wake[i].Release();

        int mine = Work(generation);
        Interlocked.Add(ref _done, mine);
        var spin = new SpinWait();
        while (Volatile.Read(ref _done) < items) spin.SpinOnce(sleep1Threshold: -1);
        _job = null;
        if (_failure is { } failure) throw new AggregateException("a LaDeDa worker failed", failure);
    }

    /// <summary>Takes and runs items of loop <paramref name="generation"/> until none is left; returns how many.</summary>
    private int Work(int generation)
    {
        int count = 0;
        while (true)
        {
            long ticket = Volatile.Read(ref _ticket);
            if ((int)(ticket >> 32) != generation) return count;
            int item = (int)ticket;
            ILaDeDaParallelJob? job = _job;
            int items = _items;
            if (item >= items || job is null) return count;
            if (Interlocked.CompareExchange(ref _ticket, ticket + 1, ticket) != ticket) continue;
            try
            {
                job.Execute(item);
            }
            catch (Exception ex)
            {
                _failure = ex;
            }
            count++;
        }
    }

    private void WorkerLoop(object? state)
    {
        int index = (int)state!;
        while (true)
        {
            _wake[index].Wait();
            int generation = (int)(Volatile.Read(ref _ticket) >> 32);
            int done = Work(generation);
            if (done > 0) Interlocked.Add(ref _done, done);
            // The next layer usually follows within microseconds: look for it before sleeping.
            long until = System.Diagnostics.Stopwatch.GetTimestamp() + SpinTicks;
            while (_wake[index].CurrentCount == 0 && System.Diagnostics.Stopwatch.GetTimestamp() < until) Thread.SpinWait(10);
        }
    }
}
