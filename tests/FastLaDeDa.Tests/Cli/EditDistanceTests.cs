using FastLaDeDa.Cli;

namespace FastLaDeDa.Tests.Cli;

public class EditDistanceTests
{
    [Theory]
    [InlineData("", "", 0)]
    [InlineData("", "abc", 3)]
    [InlineData("abc", "", 3)]
    [InlineData("detect", "detect", 0)]
    [InlineData("detcet", "detect", 1)] // adjacent swap: one edit
    [InlineData("treshold", "threshold", 1)] // insertion
    [InlineData("heatmapp", "heatmap", 1)] // deletion
    [InlineData("eval", "evap", 1)] // substitution
    [InlineData("ca", "abc", 3)] // optimal string alignment: no substring edited twice (Damerau would say 2)
    [InlineData("kitten", "sitting", 3)]
    [InlineData("Detect", "detect", 1)] // case-sensitive
    public void Counts_insertions_deletions_substitutions_and_adjacent_swaps(string a, string b, int expected)
    {
        Assert.Equal(expected, EditDistance.Between(a, b));
        Assert.Equal(expected, EditDistance.Between(b, a));
    }

    [Fact]
    public void Closest_suggests_within_a_third_of_the_length_ignoring_dashes()
    {
        string[] commands = ["detect", "heatmap", "import", "export", "eval", "jpeg-sweep", "info", "selftest"];
        Assert.Equal("detect", EditDistance.Closest("detcet", commands));
        Assert.Equal("export", EditDistance.Closest("exprot", commands));
        Assert.Equal("info", EditDistance.Closest("inf", commands));
        Assert.Null(EditDistance.Closest("frobnicate", commands));
        string[] options = ["--json", "--csv", "--threshold", "--threads-per-image", "--pool", "--weights"];
        Assert.Equal("--threshold", EditDistance.Closest("--treshold", options));
        Assert.Equal("--weights", EditDistance.Closest("-weights", options));
        Assert.Null(EditDistance.Closest("--bogus", options));
    }

    [Fact]
    public void Closest_prefers_the_nearest_then_the_first()
    {
        Assert.Equal("abcd", EditDistance.Closest("abcx", ["abyy", "abcd", "abce"]));
        Assert.Equal("abce", EditDistance.Closest("abcx", ["abyy", "abce", "abcd"]));
    }
}
