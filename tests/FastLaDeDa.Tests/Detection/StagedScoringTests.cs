using FastLaDeDa.Detection;
using FastLaDeDa.Errors;
using FastLaDeDa.Tests.Support;

namespace FastLaDeDa.Tests.Detection;

/// <summary>The staged scoring the service times (Detector.ScoreEncoded with stage times) gives what <see cref="Detector.Score(ReadOnlySpan{byte}, bool, string?)"/> gives in one call.</summary>
public class StagedScoringTests
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Decode_then_score_equals_score_bit_for_bit(bool resize)
    {
        using var detector = Detector.FromStateDict(RandomTiny.StateDict(41), new DetectorOptions { Resize = resize });
        var image = RandomImages.Rgb(301, 199, 5);
        byte[] png = TestPngWriter.Encode(301, 199, 8, 2, (x, y, c) => image.Pixels[(y * 301 + x) * 3 + c]);
        DetectionResult expected = detector.Score(png, includePatchMap: true);
        DetectionResult staged = detector.ScoreEncoded(png, "x.png", includePatchMap: true, out TimeSpan decode, out TimeSpan score);
        Assert.Equal(expected.Logit, staged.Logit);
        Assert.Equal(expected.PatchMap!.Logits, staged.PatchMap!.Logits);
        Assert.True(decode > TimeSpan.Zero && score > TimeSpan.Zero);
    }

    [Fact]
    public void Refusals_are_the_detectors_with_the_name()
    {
        using var detector = Detector.FromStateDict(RandomTiny.StateDict(42));
        var error = Assert.ThrowsAny<ImageDecodeException>(() => detector.ScoreEncoded([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12], "bad.bin", false, out _, out _));
        Assert.Equal("bad.bin", error.FilePath);
    }
}
