namespace FastLaDeDa.Imaging.Resize;

/// <summary>
/// The last few <see cref="ResizePlan"/>s one caller used, so a video stream (every frame the same
/// size) resizes without building taps per frame: lookups take no lock and allocate nothing; a miss
/// builds the plan and overwrites the oldest slot. A plan pushed out is left to the GC rather than
/// disposed, because another thread may still be using it (its rented tables simply never go back
/// to the pool, which the pool allows).
/// </summary>
internal sealed class ResizePlanCache
{
    private const int Slots = 4;
    private readonly ResizePlan?[] _plans = new ResizePlan?[Slots];
    private int _next;

    /// <summary>The plan for <paramref name="sourceWidth"/> × <paramref name="sourceHeight"/> → <paramref name="width"/> × <paramref name="height"/>, cached or new.</summary>
    public ResizePlan Get(int sourceWidth, int sourceHeight, int width, int height)
    {
        for (int i = 0; i < Slots; i++)
        {
            ResizePlan? plan = Volatile.Read(ref _plans[i]);
            if (plan is not null && plan.Matches(sourceWidth, sourceHeight, width, height)) return plan;
        }
        var created = ResizePlan.Create(sourceWidth, sourceHeight, width, height);
        int slot = (int)((uint)Interlocked.Increment(ref _next) % Slots);
        Volatile.Write(ref _plans[slot], created);
        return created;
    }
}
