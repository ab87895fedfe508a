using FastLaDeDa.Evaluation;
using FastLaDeDa.Imaging.Resize;
using FastLaDeDa.Imaging;
using FastLaDeDa.Training.Data;
using FastLaDeDa.Training.Training;

namespace FastLaDeDa.Training.Tests;

/// <summary>
/// Issue 17's training additions: merging extra folders, holding out whole sources, the rescale
/// augmentation, the calibrated threshold and the per-source validation table.
/// </summary>
public class SourceHoldoutTests
{
    private static DatasetImage Image(string source, int index, bool isFake, int size = 8) =>
        new($"/data/{source}__{index}.png", $"{(isFake ? "1_fake" : "0_real")}/{source}__{index}.png", source, isFake,
            new Rgb24Image(size, size, new byte[size * size * 3]));

    private static ImageDataset Data(params DatasetImage[] images) => ImageDataset.FromImages("test", images, allowOneClass: true);

    [Fact]
    public void Holding_out_moves_whole_sources_and_nothing_else()
    {
        var data = Data(Image("a", 0, false), Image("a", 1, false), Image("b", 0, true), Image("c", 0, false), Image("d", 0, true), Image("d", 1, true));
        var (train, validation) = data.HoldOut(new HashSet<string> { "c", "d" });
        Assert.Equal(["a", "a", "b"], train.Images.Select(i => i.Source));
        Assert.Equal(["c", "d", "d"], validation.Images.Select(i => i.Source));
        Assert.Empty(train.Images.Select(i => i.Source).Intersect(validation.Images.Select(i => i.Source)));
    }

    [Fact]
    public void Holding_out_an_unknown_source_names_it_and_the_known_ones()
    {
        var data = Data(Image("a", 0, false), Image("b", 0, true), Image("c", 0, true));
        var ex = Assert.Throws<DatasetException>(() => data.HoldOut(new HashSet<string> { "c", "typo" }));
        Assert.Contains("no source 'typo' in the data (sources: a, b, c)", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Holding_out_every_fake_source_is_an_error_because_training_needs_both_classes()
    {
        var data = Data(Image("a", 0, false), Image("b", 0, true), Image("c", 0, false));
        var ex = Assert.Throws<DatasetException>(() => data.HoldOut(new HashSet<string> { "b" }));
        Assert.Contains("only real images", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Merging_keeps_order_and_refuses_a_file_in_two_folders()
    {
        var merged = ImageDataset.Merge("m", [Data(Image("a", 0, false)), Data(Image("b", 0, true), Image("b", 1, true))]);
        Assert.Equal(["0_real/a__0.png", "1_fake/b__0.png", "1_fake/b__1.png"], merged.Images.Select(i => i.Name));
        var ex = Assert.Throws<DatasetException>(() => ImageDataset.Merge("m", [Data(Image("a", 0, false), Image("b", 0, true)), Data(Image("a", 0, false))]));
        Assert.Contains("0_real/a__0.png is in more than one folder", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Calibrated_threshold_maximises_balanced_accuracy_between_scores()
    {
        // 2 reals, 6 fakes. Plain accuracy would call everything above -0.5 fake (7/8); balanced
        // accuracy weighs the two reals as much as the six fakes: the cut goes between 1.0 and 2.0.
        double[] logits = [-1.0, 1.0, -0.5, 2.0, 3.0, 4.0, 5.0, 6.0];
        bool[] isFake = [false, false, true, true, true, true, true, true];
        var t = ThresholdCalibration.BestBalancedAccuracy(logits, isFake);
        Assert.Equal(1.5, t.Logit, 12);
        Assert.Equal(0.5 * (2.0 / 2 + 5.0 / 6), t.BalancedAccuracy, 12);
        Assert.Equal(BinaryMetrics.Sigmoid(1.5), t.Probability, 12);
        // The stored probability reproduces the decision at every score.
        for (int i = 0; i < logits.Length; i++)
            Assert.Equal(logits[i] > 1.5, BinaryMetrics.Sigmoid(logits[i]) > t.Probability);
    }

    [Fact]
    public void Calibrated_threshold_keeps_zero_when_zero_is_as_good_as_anything()
    {
        var t = ThresholdCalibration.BestBalancedAccuracy([-3.0, -2.0, 2.0, 3.0], [false, false, true, true]);
        Assert.Equal(0.0, t.Logit);
        Assert.Equal(1.0, t.BalancedAccuracy);
        Assert.Equal(0.5, t.Probability);
    }

    [Fact]
    public void Calibrated_threshold_handles_ties_and_stays_inside_zero_one()
    {
        // Tied scores cannot be split: the cut lies beside the tie, never on it.
        var t = ThresholdCalibration.BestBalancedAccuracy([1.0, 1.0, 1.0, 5.0], [false, true, false, true]);
        Assert.Equal(3.0, t.Logit);
        var extreme = ThresholdCalibration.BestBalancedAccuracy([100.0, 200.0], [false, true]);
        Assert.InRange(extreme.Probability, 1e-9, 1 - 1e-9);
        Assert.Throws<ArgumentException>(() => ThresholdCalibration.BestBalancedAccuracy([1.0], [true]));
    }

    [Fact]
    public void Per_source_rows_score_a_one_class_source_against_the_other_class()
    {
        var validation = Data(Image("r1", 0, false), Image("r1", 1, false), Image("r2", 0, false), Image("f1", 0, true), Image("f1", 1, true));
        double[] logits = [-2, 3, -1, 2, 4];
        var rows = SourceValidation.PerSource(validation, logits, 0.5);
        Assert.Equal(["f1", "r1", "r2"], rows.Select(r => r.Name));
        // r1 (-2, 3) against f1 (2, 4): pairs won 3 of 4.
        var r1 = rows[1];
        Assert.Equal(SetMetrics.Compute("x", [-2, 3, 2, 4], [false, false, true, true]).Auc, r1.Auc);
        Assert.Equal((2, 0, 0.5), (r1.RealCount, r1.FakeCount, r1.Accuracy!.Value));
        // f1 against both real sources.
        Assert.Equal(SetMetrics.Compute("x", [2, 4, -2, 3, -1], [true, true, false, false, false]).Auc, rows[0].Auc);
        Assert.Equal(1.0, rows[2].Auc);
        Assert.StartsWith("source,real,fake,acc_at_threshold,ap,auc\nf1,0,2,100.0,", SourceValidation.ToCsv(rows), StringComparison.Ordinal);
    }

    [Fact]
    public void Rescale_shrinks_compresses_and_restores_the_size_reproducibly()
    {
        var image = Support.SyntheticDataset.Image(64, 7, isFake: true);
        var rescale = new AugmentationOptions(RescaleProbability: 1, RescaleMin: 0.5);
        var a = Augmenter.Apply(image, rescale, SeededRandom.For(3, 1));
        Assert.Equal((64, 64), (a.Width, a.Height));
        Assert.Equal(a.Pixels.ToArray(), Augmenter.Apply(image, rescale, SeededRandom.For(3, 1)).Pixels.ToArray());
        Assert.NotEqual(image.Pixels.ToArray(), a.Pixels.ToArray());
        // It is a shrink to some side in [32, 64) and Pillow's BILINEAR back up — exactly one of those.
        var matches = Enumerable.Range(32, 32).Where(side =>
            PillowResize.Bilinear(PillowResize.Bilinear(image, side, side), 64, 64).Pixels.AsSpan().SequenceEqual(a.Pixels)).ToList();
        Assert.Single(matches);
        // With JPEG too, the JPEG happens at the small size (the result differs from rescale alone).
        var both = Augmenter.Apply(image, rescale with { JpegProbability = 1, JpegQualityMin = 30, JpegQualityMax = 30 }, SeededRandom.For(3, 1));
        Assert.NotEqual(a.Pixels.ToArray(), both.Pixels.ToArray());
        Assert.Throws<ArgumentException>(() => new AugmentationOptions(RescaleProbability: 1, RescaleMin: 1).Validated());
    }
}
