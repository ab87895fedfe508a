using FastLaDeDa.Evaluation;
using FastLaDeDa.Tests.Support;

namespace FastLaDeDa.Tests.Evaluation;

public class DatasetWalkerTests
{
    private static void Touch(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, [1]);
    }

    [Fact]
    public void Finds_every_folder_with_label_subfolders_and_only_image_extensions()
    {
        using var dir = new TempDirectory();
        Touch(dir.File("train/0_real/a.png"));
        Touch(dir.File("test/setB/1_fake/z.JPG"));          // extensions match case-insensitively
        Touch(dir.File("test/setB/1_fake/notes.txt"));      // ignored
        Touch(dir.File("test/setA/0_real/r2.webp"));
        Touch(dir.File("test/setA/0_real/r1.tga"));
        Touch(dir.File("test/setA/1_fake/f.jfif"));
        Touch(dir.File("test/setA/extra/0_real/x.png"));    // not a set: setA's own folders are not searched

        var sets = DatasetWalker.FindSets(dir.Path);
        Assert.Equal(["test/setA", "test/setB", "train"], sets.Select(s => s.Name));
        var a = sets[0];
        Assert.Equal(["r1.tga", "r2.webp", "f.jfif"], a.Images.Select(i => Path.GetFileName(i.Path)));
        Assert.Equal([false, false, true], a.Images.Select(i => i.IsFake));
        Assert.Equal((0, 1), (sets[1].RealCount, sets[1].FakeCount));
    }

    [Fact]
    public void The_root_itself_can_be_the_set()
    {
        using var dir = new TempDirectory();
        Touch(dir.File("0_real/a.png"));
        var set = Assert.Single(DatasetWalker.FindSets(dir.Path));
        Assert.Equal(Path.GetFileName(dir.Path), set.Name);
    }

    [Fact]
    public void A_missing_root_is_an_error_and_an_empty_root_has_no_sets()
    {
        using var dir = new TempDirectory();
        Assert.Empty(DatasetWalker.FindSets(dir.Path));
        Assert.Throws<DirectoryNotFoundException>(() => DatasetWalker.FindSets(dir.File("nope")));
    }
}
