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
        Assert.Equal($"{path}: not a safetensors file (file is 2 bytes, too short for the 8-byte safetensors header length) nor a PyTorch checkpoint (no zip signature)", error.Message);
    }

    [Theory]
    [InlineData("empty-zip", new byte[] { 0x50, 0x4B, 0x05, 0x06, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 }, "not a PyTorch checkpoint (zip archive without data.pkl)")]
    [InlineData("legacy-pickle", new byte[] { 0x80, 0x02, 0x8A, 0x0A, 0x6C, 0xFC, 0x9C, 0x46, 0xF9, 0x20, 0x6A, 0xA8, 0x50, 0x19, 0x2E }, "not a supported PyTorch checkpoint (a bare pickle")]
    [InlineData("text", new byte[] { 0x68, 0x65, 0x6C, 0x6C, 0x6F, 0x20, 0x77, 0x6F, 0x72, 0x6C, 0x64, 0x21 }, "not a safetensors file (safetensors header length")]
    public void AnErrorNamesTheFormatTheContentLookedLike(string name, byte[] content, string cause)
    {
        using var dir = new TempDirectory();
        string path = dir.Write(name + ".pth", content);
        var error = Assert.Throws<WeightsFormatException>(() => WeightsFile.Load(path));
        Assert.StartsWith($"{path}: {cause}", error.Message);
    }

    [Fact]
    public void AZipWithoutAPickleIsNotAPyTorchCheckpoint()
    {
        using var dir = new TempDirectory();
        using var buffer = new MemoryStream();
        using (var zip = new System.IO.Compression.ZipArchive(buffer, System.IO.Compression.ZipArchiveMode.Create, leaveOpen: true))
            using (var writer = new StreamWriter(zip.CreateEntry("notes.txt").Open())) writer.Write("not a checkpoint");
        string path = dir.Write("notes.pth", buffer.ToArray());
        var error = Assert.Throws<WeightsFormatException>(() => WeightsFile.Load(path));
        Assert.Equal($"{path}: not a PyTorch checkpoint (zip archive without data.pkl)", error.Message);
    }
}
