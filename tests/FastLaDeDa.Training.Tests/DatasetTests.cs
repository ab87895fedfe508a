using FastLaDeDa.Tests.Support;
using FastLaDeDa.Training.Data;
using FastLaDeDa.Training.Tests.Support;

namespace FastLaDeDa.Training.Tests;

/// <summary>Loading WildRF splits into memory: counts, sources, the file-list hash, and clear errors for bad input.</summary>
public class DatasetTests
{
    [Fact]
    public void Loads_both_classes_resized_to_the_input_size_with_sources_and_a_stable_hash()
    {
        using var temp = new TempDirectory();
        SyntheticDataset.Create(temp.Path, perClass: 3, size: 40);
        var data = ImageDataset.Load(Path.Combine(temp.Path, "train"), size: 64);
        Assert.Equal(6, data.Count);
        Assert.All(data.Images, i => Assert.Equal((64, 64), (i.Image.Width, i.Image.Height)));
        Assert.Equal(3, data.Summary.RealCount);
        Assert.Equal(3, data.Summary.FakeCount);
        Assert.Equal(["synth_fake", "synth_real"], data.Summary.Sources.Select(s => s.Source));
        Assert.Equal(new SourceCount("synth_real", 3, 0), data.Summary.Sources[1]);
        Assert.Equal("0_real/synth_real__00.png", data.Images[0].Name);
        // The hash covers the sorted names: independent of the order they are listed in.
        Assert.Equal(data.Summary.FileListSha256, DatasetSummary.FileListHash(data.Images.Select(i => i.Name).Reverse()));
        Assert.Equal(64, data.Summary.FileListSha256.Length);
        Assert.Contains("\"synth_real\":[3,0]", data.Summary.ToJson(), StringComparison.Ordinal);
    }

    [Fact]
    public void Source_is_the_file_name_prefix()
    {
        Assert.Equal("realorai_game_laboratoriet", DatasetImage.SourceOf("realorai_game_laboratoriet__city__real__10.png"));
        Assert.Equal("unknown", DatasetImage.SourceOf("plain.png"));
    }

    [Fact]
    public void Missing_folder_is_an_error_naming_it()
    {
        var ex = Assert.Throws<DatasetException>(() => ImageDataset.Load("/nonexistent/fastladeda/train"));
        Assert.Contains("/nonexistent/fastladeda/train: folder not found", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Empty_dataset_is_an_error()
    {
        using var temp = new TempDirectory();
        Directory.CreateDirectory(Path.Combine(temp.Path, "0_real"));
        Directory.CreateDirectory(Path.Combine(temp.Path, "1_fake"));
        File.WriteAllText(Path.Combine(temp.Path, "0_real", "notes.txt"), "not an image");
        var ex = Assert.Throws<DatasetException>(() => ImageDataset.Load(temp.Path));
        Assert.Contains("no images in 0_real/ or 1_fake/", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void One_class_dataset_is_an_error_saying_which_class_is_missing()
    {
        using var temp = new TempDirectory();
        SyntheticDataset.WriteSplit(temp.Path, perClass: 2, size: 32, seed: 3, fake: false);
        var ex = Assert.Throws<DatasetException>(() => ImageDataset.Load(temp.Path, size: 32));
        Assert.Contains("2 real images and no fake ones in 1_fake/: training needs both classes", ex.Message, StringComparison.Ordinal);
        Assert.Equal(2, ImageDataset.Load(temp.Path, size: 32, allowOneClass: true).Count);
    }

    [Fact]
    public void Unreadable_images_are_all_named()
    {
        using var temp = new TempDirectory();
        SyntheticDataset.WriteSplit(temp.Path, perClass: 2, size: 32, seed: 4);
        string broken = Path.Combine(temp.Path, "1_fake", "broken.png");
        File.WriteAllBytes(broken, [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0]);
        string empty = Path.Combine(temp.Path, "0_real", "empty.jpg");
        File.WriteAllBytes(empty, []);
        var ex = Assert.Throws<DatasetException>(() => ImageDataset.Load(temp.Path, size: 32));
        Assert.Contains("2 image(s) cannot be read", ex.Message, StringComparison.Ordinal);
        Assert.Contains(broken, ex.Message, StringComparison.Ordinal);
        Assert.Contains(empty + ": file is empty", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Subset_keeps_at_most_n_per_class_spread_over_the_list()
    {
        using var temp = new TempDirectory();
        SyntheticDataset.WriteSplit(temp.Path, perClass: 6, size: 16, seed: 5);
        var data = ImageDataset.Load(temp.Path, size: 16);
        var subset = data.Subset(3);
        Assert.Equal(6, subset.Count);
        Assert.Equal(["0_real/synth_real__00.png", "0_real/synth_real__02.png", "0_real/synth_real__04.png"],
                     subset.Images.Where(i => !i.IsFake).Select(i => i.Name));
        Assert.Same(data, data.Subset(10));
    }
}
