using FastLaDeDa.Engines.Cpu.Tiny;
using FastLaDeDa.Engines;
using FastLaDeDa.Engines.Cpu;
using FastLaDeDa.Imaging;
using FastLaDeDa.Models;
using FastLaDeDa.Preprocessing;
using FastLaDeDa.Tests.Support;
using FastLaDeDa.Weights;
using Xunit.Abstractions;

namespace FastLaDeDa.Tests.Engines;

/// <summary>
/// Every fused engine this machine supports (scalar, Vector256, Vector512, run directly, whatever
/// the run-time pick) against the float64 reference: maps within 1e-5 of the reference map's
/// largest magnitude. <see cref="IsaSelectionTests"/> repeats the check in child processes with
/// AVX-512 / AVX2 switched off, where the JIT generates different code.
/// </summary>
public class FusedEngineTests(ITestOutputHelper output)
{
    private const double RelativeTolerance = 1e-5;

    public static TheoryData<string> Engines() => Implementations.TinyEngineNames();



    /// <summary>Widths 32..63 cover every remainder of the 16- and 32-pixel vector steps; heights are odd and even.</summary>
    [SkippableTheory]
    [MemberData(nameof(Engines))]
    public void Matches_the_reference_on_every_width_remainder_and_preprocessing(string engineName)
    {
        var engine = Implementations.TinyEngine(engineName);
        var model = TinyLaDeDaModel.FromStateDict(RandomTiny.StateDict(21));
        double worst = 0;
        foreach (PreprocessKind kind in Enum.GetValues<PreprocessKind>())
        {
            var reference = TinyLaDeDaEngines.Reference.Prepare(model, kind);
            var network = engine.Prepare(model, kind);
            for (int width = 32; width < 64; width++)
            {
                int height = 5 + (width % 6) * 2 + (width & 1); // 5..16, odd and even
                var image = RandomImages.Rgb(width, height, width * 31 + (int)kind);
                double error = Compare.RelativeMapError(reference.RunMap(image), network.RunMap(image));
                worst = Math.Max(worst, error);
                Assert.True(error <= RelativeTolerance, $"{engineName} {kind} {width}x{height}: relative error {error:E2}");
            }
        }
        output.WriteLine($"{engineName}: worst relative map error {worst:E2} over 7 preprocessings x 32 widths");
    }

    [SkippableTheory]
    [MemberData(nameof(Engines))]
    public void Handles_the_smallest_narrow_tall_and_wide_images(string engineName)
    {
        var engine = Implementations.TinyEngine(engineName);
        var model = TinyLaDeDaModel.FromStateDict(RandomTiny.StateDict(22));
        // Wide rows exercise the workspace strides and the last partial vector of quads/pairs at
        // widths far from the 32..63 of the remainder test.
        foreach (var (w, h) in new[] { (5, 5), (6, 5), (5, 6), (7, 71), (8, 9), (70, 5), (517, 9), (1030, 6), (1, 1) })
        {
            if (w < 5 || h < 5)
            {
                Assert.Throws<ArgumentException>(() => engine.Prepare(model, PreprocessKind.RightDiag).Run(new byte[w * h * 3], w, h, default));
                continue;
            }
            var image = RandomImages.Rgb(w, h, w * 100 + h);
            foreach (var kind in new[] { PreprocessKind.RightDiag, PreprocessKind.Npr, PreprocessKind.Raw })
            {
                double error = Compare.RelativeMapError(TinyLaDeDaEngines.Reference.Prepare(model, kind).RunMap(image), engine.Prepare(model, kind).RunMap(image));
                Assert.True(error <= RelativeTolerance, $"{engineName} {kind} {w}x{h}: {error:E2}");
            }
        }
    }

    /// <summary>
    /// Every width computes each output with the scalar kernel's operations in the scalar kernel's
    /// order (one rounding per fused multiply-add), so the maps are the same bits: every
    /// preprocessing, widths 32..63 (every remainder of the vector steps), odd and even heights.
    /// </summary>
    [SkippableTheory]
    [MemberData(nameof(Engines))]
    [Trait(PerIsaSuites.Trait, PerIsaSuites.Value)]
    public void Gives_the_scalar_kernels_maps_bit_for_bit(string engineName)
    {
        var engine = Implementations.TinyEngine(engineName);
        var scalar = Implementations.TinyEngine("tiny-scalar");
        var model = TinyLaDeDaModel.FromStateDict(RandomTiny.StateDict(25));
        foreach (PreprocessKind kind in Enum.GetValues<PreprocessKind>())
        {
            var expected = scalar.Prepare(model, kind);
            var network = engine.Prepare(model, kind);
            for (int width = 32; width < 64; width += 3)
            {
                var image = RandomImages.Rgb(width, 9 + (width & 1), width * 7 + (int)kind);
                Assert.Equal(expected.RunMap(image).Logits, network.RunMap(image).Logits);
            }
        }
    }

    [SkippableTheory]
    [MemberData(nameof(Engines))]
    public void Pooled_values_match_the_map_and_the_reference(string engineName)
    {
        var model = TinyLaDeDaModel.FromStateDict(RandomTiny.StateDict(23));
        var network = Implementations.TinyEngine(engineName).Prepare(model, PreprocessKind.RightDiag);
        var image = RandomImages.Rgb(97, 61, 5);
        var map = new float[TinyLaDeDaModel.MapSize(97) * TinyLaDeDaModel.MapSize(61)];
        PatchPooling withMap = network.Run(image.Pixels, 97, 61, map);
        PatchPooling withoutMap = network.Run(image.Pixels, 97, 61, default);
        Assert.Equal(withMap, withoutMap);
        Assert.Equal(map.Average(v => (double)v), withMap.Mean, 1e-4);
        Assert.Equal(map.Max(), withMap.Max);
        PatchPooling reference = TinyLaDeDaEngines.Reference.Prepare(model, PreprocessKind.RightDiag).Run(image.Pixels, 97, 61, default);
        Assert.True(Math.Abs(reference.Mean - withMap.Mean) <= RelativeTolerance * Math.Max(1, Math.Abs(reference.Max)));
        Assert.True(Math.Abs(reference.Max - withMap.Max) <= RelativeTolerance * Math.Max(1, Math.Abs(reference.Max)));
    }

    /// <summary>The per-thread workspace is reused: a wide image must not leave anything behind for a narrower one.</summary>
    [SkippableTheory]
    [MemberData(nameof(Engines))]
    public void A_reused_workspace_gives_the_same_result_as_a_fresh_one(string engineName)
    {
        var model = TinyLaDeDaModel.FromStateDict(RandomTiny.StateDict(24));
        var network = Implementations.TinyEngine(engineName).Prepare(model, PreprocessKind.LeftDiag);
        var small = RandomImages.Rgb(37, 19, 1);
        float[] first = RunOnFreshThread(network, small);
        network.RunMap(RandomImages.Rgb(300, 40, 2)); // grows and dirties this thread's workspace
        Assert.Equal(first, network.RunMap(small).Logits);
    }

    private static float[] RunOnFreshThread(IPatchNetwork network, Rgb24Image image)
    {
        float[] result = [];
        var thread = new Thread(() => result = network.RunMap(image).Logits);
        thread.Start();
        thread.Join();
        return result;
    }

    [SkippableTheory]
    [MemberData(nameof(Engines))]
    public void Values_the_current_image_did_not_write_never_reach_the_map(string engineName)
    {
        // The kernel reads a little past what it wrote for this image (whole vectors of column
        // pairs, the polyphase conv's next quad) and relies on those lanes feeding only outputs
        // it discards. Poison the whole workspace with NaN (except what must stay zero: each
        // input row's left padding and the zero row) before every run: any leak shows as NaN or
        // as a difference from the reference.
        var engine = Implementations.TinyEngine(engineName);
        var model = TinyLaDeDaModel.FromStateDict(RandomTiny.StateDict(25));
        var networks = new[] { PreprocessKind.RightDiag, PreprocessKind.Npr, PreprocessKind.Raw }
            .Select(kind => (kind, fused: engine.Prepare(model, kind), reference: TinyLaDeDaEngines.Reference.Prepare(model, kind))).ToArray();
        int[] widths = [.. Enumerable.Range(5, 76), 255, 256, 257, 517];
        var work = FusedTinyLaDeDaWorkspace.ForCurrentThread(widths.Max());
        double worst = 0;
        foreach (int w in widths)
            foreach (int h in new[] { 9, 10 })
            {
                var image = RandomImages.Rgb(w, h, w * 31 + h);
                foreach (var (kind, fused, reference) in networks)
                {
                    Poison(work);
                    PatchMap map = fused.RunMap(image);
                    Assert.DoesNotContain(map.Logits, float.IsNaN);
                    double error = Compare.RelativeMapError(reference.RunMap(image), map);
                    worst = Math.Max(worst, error);
                    Assert.True(error <= RelativeTolerance, $"{engineName} {kind} {w}x{h}: {error:E2}");
                }
            }
        output.WriteLine($"{engineName}: worst {worst:E2} over {widths.Length} widths x 2 heights x 3 preprocessings, NaN-poisoned workspace");
    }

    private static void Poison(FusedTinyLaDeDaWorkspace work)
    {
        for (int slot = 0; slot < 3; slot++) // input slot 3 is the zero row
            for (int c = 0; c < 3; c++)
                work.Input.Slice((slot * 3 + c) * work.RowStride + 1, work.RowStride - 1).Fill(float.NaN);
        work.Filtered.Fill(float.NaN);
        work.Transformed.Fill(float.NaN);
        work.Hidden.Fill(float.NaN);
        work.Stem.Fill(float.NaN);
        work.Products.Fill(float.NaN);
        work.MapRow.Fill(float.NaN);
    }

    [SkippableTheory]
    [MemberData(nameof(Engines))]
    public void Matches_the_official_golden_maps(string engineName)
    {
        var engine = Implementations.TinyEngine(engineName);
        foreach (var (key, file, preprocess) in OfficialModels.All)
        {
            var model = TinyLaDeDaModel.FromStateDict(PthCheckpoint.Read(Goldens.OfficialCheckpoint(file)));
            var network = engine.Prepare(model, preprocess);
            var reference = TinyLaDeDaEngines.Reference.Prepare(model, preprocess);
            double worstGolden = 0, worstReference = 0;
            foreach (string name in Goldens.ImageNames)
            {
                var image = Goldens.Image(name + ".resized");
                PatchMap map = network.RunMap(image);
                float[] golden = Goldens.Floats($"{name}.{key}.map");
                double goldenError = Compare.MaxAbsDiff(golden, map.Logits) / Compare.MaxAbs(golden);
                double referenceError = Compare.RelativeMapError(reference.RunMap(image), map);
                worstGolden = Math.Max(worstGolden, goldenError);
                worstReference = Math.Max(worstReference, referenceError);
                Assert.True(goldenError <= 1e-4, $"{name} {key}: {goldenError:E2} of max|map| vs golden");
                Assert.True(referenceError <= RelativeTolerance, $"{name} {key}: {referenceError:E2} vs reference");
            }
            output.WriteLine($"{engineName} {key}: worst {worstGolden:E2} vs goldens, {worstReference:E2} vs reference (relative to max|map|)");
        }
    }

    [Fact]
    public void The_pick_is_the_widest_supported_engine()
    {
        var expected = TinyLaDeDaEngines.Fused.First(e => e.IsSupported);
        Assert.Same(expected, TinyLaDeDaEngines.Best);
        Assert.True(new TinyLaDeDaFusedScalar().IsSupported);
    }
}
