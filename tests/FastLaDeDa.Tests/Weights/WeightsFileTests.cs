using FastLaDeDa.Errors;
using FastLaDeDa.Tests.Support;
using FastLaDeDa.Weights;

namespace FastLaDeDa.Tests.Weights;

public sealed class WeightsFileTests
{
    [Fact]
    public void SniffsTheFormatFromTheContentNotTheName()
    {
        using var dir = new TempDirectory();
        var tensors = new Dictionary<string, TensorData> { ["w"] = TensorData.FromFloat32([1f, 2f], 2) };
        using var safetensors = new MemoryStream();
        SafeTensors.Write(safetensors, tensors);
        string misnamed = dir.Write("actually-safetensors.pth", safetensors.ToArray());
        Assert.Equal([1f, 2f], WeightsFile.Load(misnamed).Tensors["w"].ToFloat32());

        byte[] pth = TestCheckpoint.Zip(TestCheckpoint.StateDictPickle([TestCheckpoint.Contiguous("w", "0", 3)]),
                                        new Dictionary<string, byte[]> { ["0"] = TestCheckpoint.Iota(3) });
        string alsoMisnamed = dir.Write("actually-pth.safetensors", pth);
        Assert.Equal([0f, 1f, 2f], WeightsFile.Load(alsoMisnamed).Tensors["w"].ToFloat32());
    }

    [Fact]
    public void RejectsEmptyFile()
    {
        using var dir = new TempDirectory();
        string path = dir.Write("empty.safetensors", []);
        var error = Assert.Throws<WeightsFormatException>(() => WeightsFile.Load(path));
        Assert.Equal($"{path}: file is empty", error.Message);
    }

    [Fact]
    public void ChecksTheSizeLimitBeforeReading()
    {
        using var dir = new TempDirectory();
        string path = dir.Write("big.pth", new byte[1000]);
        var error = Assert.Throws<WeightsFormatException>(() => WeightsFile.Load(path, WeightsLimits.Default with { MaxFileBytes = 999 }));
        Assert.Equal($"{path}: file is 1000 bytes, above the limit of 999", error.Message);
    }

    [Fact]
    public void FileSystemErrorsStayIOExceptions()
    {
        using var dir = new TempDirectory();
        Assert.Throws<FileNotFoundException>(() => WeightsFile.Load(Path.Combine(dir.Path, "missing.safetensors")));
    }

    [Fact]
    public void ShortFileIsASafetensorsError()
    {
        using var dir = new TempDirectory();
        string path = dir.Write("pk.bin", "PK"u8.ToArray());
        var error = Assert.Throws<WeightsFormatException>(() => WeightsFile.Load(path));
        Assert.Equal($"{path}: file is 2 bytes, too short for the 8-byte safetensors header length", error.Message);
    }
}
