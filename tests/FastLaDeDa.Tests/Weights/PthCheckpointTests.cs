using System.Buffers.Binary;
using System.IO.Compression;
using FastLaDeDa.Errors;
using FastLaDeDa.Tests.Support;
using FastLaDeDa.Weights;
using static FastLaDeDa.Tests.Support.TestCheckpoint;

namespace FastLaDeDa.Tests.Weights;

public sealed class PthCheckpointTests
{
    // ---- the official checkpoints ------------------------------------------------------------

    private static readonly (string Name, int[] Shape)[] TinyLaDeDaTensors =
    [
        ("conv1.weight", [8, 3, 1, 1]), ("conv2.weight", [8, 8, 3, 3]),
        ("bn1.weight", [8]), ("bn1.bias", [8]), ("bn1.running_mean", [8]), ("bn1.running_var", [8]), ("bn1.num_batches_tracked", []),
        ("layer1.0.conv1.weight", [8, 8, 1, 1]),
        ("layer1.0.bn1.weight", [8]), ("layer1.0.bn1.bias", [8]), ("layer1.0.bn1.running_mean", [8]), ("layer1.0.bn1.running_var", [8]), ("layer1.0.bn1.num_batches_tracked", []),
        ("layer1.0.conv2.weight", [8, 8, 3, 3]),
        ("layer1.0.bn2.weight", [8]), ("layer1.0.bn2.bias", [8]), ("layer1.0.bn2.running_mean", [8]), ("layer1.0.bn2.running_var", [8]), ("layer1.0.bn2.num_batches_tracked", []),
        ("fc.weight", [1, 8]), ("fc.bias", [1]),
    ];

    /// <summary>Storage keys of a few tensors, as both official pickles assign them.</summary>
    private static readonly (string Name, string Key)[] StorageOf =
        [("conv1.weight", "0"), ("bn1.num_batches_tracked", "6"), ("layer1.0.conv2.weight", "13"), ("fc.weight", "19"), ("fc.bias", "20")];

    private static string TopFolder(ZipArchive zip) => zip.Entries.Single(e => e.Name == "data.pkl").FullName[..^"data.pkl".Length];

    [SkippableTheory]
    [InlineData("WildRF_Tiny_LaDeDa.pth")]
    [InlineData("ForenSynth_Tiny_LaDeDa.pth")]
    public void ReadsOfficialCheckpoint(string fileName)
    {
        string path = SharedData.Require("weights", "official", fileName);
        StateDict dict = PthCheckpoint.Read(path);

        Assert.Equal(path, dict.SourcePath);
        Assert.Empty(dict.Metadata);
        Assert.Equal(TinyLaDeDaTensors.Select(t => t.Name).Order(), dict.Tensors.Keys.Order());
        foreach (var (name, shape) in TinyLaDeDaTensors)
        {
            TensorData tensor = dict.Tensors[name];
            Assert.True(tensor.HasShape(shape), $"{name} has shape {tensor.ShapeText}");
            Assert.Equal(name.EndsWith("num_batches_tracked") ? TensorDType.Int64 : TensorDType.Float32, tensor.DType);
        }
        Assert.All(dict.Tensors.Where(t => t.Value.DType == TensorDType.Float32), t => Assert.All(t.Value.ToFloat32(), v => Assert.True(float.IsFinite(v))));
        Assert.All(dict.Tensors["bn1.running_var"].ToFloat32(), v => Assert.True(v > 0));
        Assert.True(dict.Tensors["bn1.num_batches_tracked"].ToInt64()[0] > 0);

        // Values are the storages' raw little-endian bytes, read here independently of the importer.
        using var zip = ZipFile.OpenRead(path);
        string folder = TopFolder(zip);
        foreach (var (name, key) in StorageOf)
        {
            using var raw = new MemoryStream();
            using (Stream s = zip.GetEntry(folder + "data/" + key)!.Open()) s.CopyTo(raw);
            Assert.Equal(raw.ToArray(), dict.Tensors[name].Bytes.ToArray());
        }
        float firstWeight = BinaryPrimitives.ReadSingleLittleEndian(zip.GetEntry(folder + "data/0")!.Open().ReadExactlyArray(4));
        Assert.Equal(firstWeight, dict.Tensors["conv1.weight"].ToFloat32()[0]);

        // Content sniffing routes the file to the same importer.
        StateDict viaLoad = WeightsFile.Load(path);
        Assert.True(viaLoad.Tensors["layer1.0.conv2.weight"].Bytes.SequenceEqual(dict.Tensors["layer1.0.conv2.weight"].Bytes));
    }

    [SkippableFact]
    public void OfficialCheckpointsHaveDifferentTopFoldersAndDifferentWeights()
    {
        string wild = SharedData.Require("weights", "official", "WildRF_Tiny_LaDeDa.pth");
        string foren = SharedData.Require("weights", "official", "ForenSynth_Tiny_LaDeDa.pth");
        using (var a = ZipFile.OpenRead(wild))
        using (var b = ZipFile.OpenRead(foren))
        {
            Assert.Equal("filtered_model/", TopFolder(a));
            Assert.Equal("model_epoch_epoch_132/", TopFolder(b));
        }
        Assert.False(PthCheckpoint.Read(wild).Tensors["fc.weight"].Bytes.SequenceEqual(PthCheckpoint.Read(foren).Tensors["fc.weight"].Bytes));
    }

    // ---- synthetic checkpoints: what must work ----------------------------------------------

    private static readonly Dictionary<string, byte[]> TwoStorages = new() { ["0"] = Iota(6), ["1"] = Floats(-2.5f) };

    private static TestTensor[] TwoTensors => [Contiguous("w", "0", 2, 3), Contiguous("b", "1")];

    [Theory]
    [InlineData(false, CompressionLevel.NoCompression)]
    [InlineData(true, CompressionLevel.NoCompression)]
    [InlineData(false, CompressionLevel.Optimal)]
    public void ReadsSyntheticStateDict(bool orderedDict, CompressionLevel compression)
    {
        byte[] zip = Zip(StateDictPickle(TwoTensors, orderedDict), TwoStorages, folder: "some_name", compression: compression);
        StateDict dict = PthCheckpoint.Read(zip, "synthetic.pth");

        Assert.Equal(["w", "b"], dict.Tensors.Keys);
        Assert.True(dict.Tensors["w"].HasShape([2, 3]));
        Assert.Equal([0f, 1, 2, 3, 4, 5], dict.Tensors["w"].ToFloat32());
        Assert.Empty(dict.Tensors["b"].Shape);
        Assert.Equal([-2.5f], dict.Tensors["b"].ToFloat32());
        Assert.Equal("synthetic.pth", dict.SourcePath);
    }

    [Fact]
    public void ReadsNonContiguousViews()
    {
        TestTensor[] views =
        [
            new("transposed", "FloatStorage", "0", 6, 0, [3, 2], [1, 3]),            // a 2x3 matrix transposed
            new("sliced", "FloatStorage", "1", 24, 5, [2, 2], [12, 1]),              // rows 0 and 1 of a [2,12] slice
            new("permuted", "FloatStorage", "1", 24, 0, [2, 3, 4], [1, 8, 2]),       // a permutation of a [4,3,2] tensor
            new("broadcast", "FloatStorage", "0", 6, 4, [3, 2], [0, 1]),             // expand() of one row
            new("shared", "FloatStorage", "0", 6, 0, [6], [1]),                      // a second view of storage 0
        ];
        byte[] zip = Zip(StateDictPickle(views), new Dictionary<string, byte[]> { ["0"] = Iota(6), ["1"] = Iota(24) });
        StateDict dict = PthCheckpoint.Read(zip, "views.pth");

        foreach (TestTensor t in views)
        {
            TensorData tensor = dict.Tensors[t.Name];
            Assert.Equal(t.Size.Select(s => (int)s), tensor.Shape);
            Assert.Equal(NaiveGather(t), tensor.ToFloat32());
        }
        Assert.Equal([0f, 3, 1, 4, 2, 5], dict.Tensors["transposed"].ToFloat32());
        Assert.Equal([5f, 6, 17, 18], dict.Tensors["sliced"].ToFloat32());
    }

    /// <summary>The element at every index tuple, straight from the definition of a strided view over 0, 1, 2, ...</summary>
    private static float[] NaiveGather(TestTensor t)
    {
        var result = new List<float>();
        void Walk(int dim, long position)
        {
            if (dim == t.Size.Length) { result.Add(position); return; }
            for (long i = 0; i < t.Size[dim]; i++) Walk(dim + 1, position + i * t.Stride[dim]);
        }
        Walk(0, t.Offset);
        return [.. result];
    }

    [Fact]
    public void ReadsInt64AndOtherStorageTypes()
    {
        byte[] longs = new byte[16];
        BinaryPrimitives.WriteInt64LittleEndian(longs, -3);
        BinaryPrimitives.WriteInt64LittleEndian(longs.AsSpan(8), 1L << 40);
        TestTensor[] tensors =
        [
            new("count", "LongStorage", "0", 2, 1, [], []),
            new("bytes", "ByteStorage", "1", 3, 0, [3], [1]),
            new("half", "HalfStorage", "2", 1, 0, [1], [1]),
        ];
        var storages = new Dictionary<string, byte[]> { ["0"] = longs, ["1"] = [7, 8, 255], ["2"] = [0x00, 0x3c] };
        StateDict dict = PthCheckpoint.Read(Zip(StateDictPickle(tensors), storages), "types.pth");
        Assert.Equal([1L << 40], dict.Tensors["count"].ToInt64());
        Assert.Equal(TensorDType.UInt8, dict.Tensors["bytes"].DType);
        Assert.Equal([7L, 8, 255], dict.Tensors["bytes"].ToInt64());
        Assert.Equal([1f], dict.Tensors["half"].ToFloat32());
    }

    [Theory]
    [InlineData("state_dict")]
    [InlineData("model")]
    public void ReadsTrainingCheckpointWithNestedStateDict(string key)
    {
        // {'epoch': 7, key: {'w': tensor}}
        byte[] inner = StateDictPickle([Contiguous("w", "0", 2, 3)]);
        var p = new TestPickleWriter().Proto().EmptyDict().Str("epoch").Int(7).SetItem().Str(key)
            .Raw(inner[2..^1]) // the state dict's opcodes without PROTO and STOP
            .SetItem().Stop();
        StateDict dict = PthCheckpoint.Read(Zip(p.ToArray(), new Dictionary<string, byte[]> { ["0"] = Iota(6) }), "train.pth");
        Assert.Equal(["w"], dict.Tensors.Keys);
        Assert.Equal(5f, dict.Tensors["w"].ToFloat32()[5]);
    }

    [Fact]
    public void ReadsFromNonSeekableStream()
    {
        byte[] zip = Zip(StateDictPickle(TwoTensors), TwoStorages);
        using var stream = new NonSeekableStream(zip);
        Assert.Equal(2, PthCheckpoint.Read(stream, "pipe.pth").Tensors.Count);
        using var big = new NonSeekableStream(zip);
        var error = Assert.Throws<WeightsFormatException>(() => PthCheckpoint.Read(big, "pipe.pth", WeightsLimits.Default with { MaxFileBytes = 100 }));
        Assert.Equal("pipe.pth: input is more than 100 bytes (the limit)", error.Message);
    }

    private sealed class NonSeekableStream(byte[] data) : MemoryStream(data)
    {
        public override bool CanSeek => false;
    }

    // ---- synthetic checkpoints: what must be refused ----------------------------------------

    /// <summary>Writes the checkpoint to a file, reads it through <see cref="WeightsFile.Load"/> and returns the error.</summary>
    private static TException Rejected<TException>(string fileName, byte[] content, params string[] expectedInMessage)
        where TException : WeightsFormatException
    {
        using var dir = new TempDirectory();
        string path = dir.Write(fileName, content);
        var error = Assert.Throws<TException>(() => WeightsFile.Load(path));
        Assert.StartsWith(path + ": ", error.Message);
        Assert.Equal(path, error.FilePath);
        foreach (string expected in expectedInMessage) Assert.Contains(expected, error.Message);
        Assert.DoesNotContain('\n', error.Message);
        return error;
    }

    private static byte[] ZipWithPickle(byte[] pickle) => Zip(pickle, TwoStorages);

    [Theory]
    [InlineData("os", "system")]
    [InlineData("builtins", "eval")]
    [InlineData("posix", "system")]
    [InlineData("subprocess", "Popen")]
    [InlineData("torch", "load")]
    [InlineData("torch._utils", "_rebuild_tensor")]
    public void RefusesNonWhitelistedGlobal(string module, string name)
    {
        // The classic payload: global(*args) via REDUCE. It must be refused at the GLOBAL, before any call.
        byte[] pickle = new TestPickleWriter().Proto().Global(module, name).Str("touch /tmp/pwned").Tuple1().Reduce().Stop().ToArray();
        Rejected<UnsafePickleException>("evil.pth", ZipWithPickle(pickle), $"pickle global '{module}.{name}' at offset 2 is not allowed");
    }

    [Fact]
    public void RefusesNonWhitelistedGlobalInsideAnOtherwiseValidStateDict()
    {
        byte[] good = StateDictPickle(TwoTensors);
        byte[] evil = new TestPickleWriter().Raw(good[..^2]) // drop SETITEMS and STOP
            .Str("x").Global("os", "system").Str("id").Tuple1().Reduce().SetItems().Stop().ToArray();
        Rejected<UnsafePickleException>("evil.pth", ZipWithPickle(evil), "'os.system'", "not allowed");
    }

    [Fact]
    public void RefusesStackGlobalWithNonWhitelistedNames()
    {
        byte[] pickle = new TestPickleWriter().Proto(4).ShortStr("os").ShortStr("system").Raw(0x93).ShortStr("id").Tuple1().Reduce().Stop().ToArray();
        Rejected<UnsafePickleException>("stack-global.pth", ZipWithPickle(pickle), "pickle global 'os.system'");
    }

    [Theory]
    [InlineData(new byte[] { (byte)'i' }, "pickle opcode INST (0x69) at offset 2 is not allowed")]
    [InlineData(new byte[] { 0x82, 1 }, "pickle opcode EXT1 (0x82) at offset 2 is not allowed")]
    [InlineData(new byte[] { 0x81 }, "pickle opcode NEWOBJ (0x81) at offset 2 is not allowed")]
    [InlineData(new byte[] { (byte)'o' }, "pickle opcode OBJ (0x6f) at offset 2 is not allowed")]
    [InlineData(new byte[] { (byte)'P' }, "pickle opcode PERSID (0x50) at offset 2 is not allowed")]
    [InlineData(new byte[] { 0x8f }, "pickle opcode EMPTY_SET (0x8f) at offset 2 is not allowed")]
    [InlineData(new byte[] { 0xff }, "unknown pickle opcode 0xff at offset 2")]
    public void RefusesNonWhitelistedOpcode(byte[] opcode, string expected)
    {
        // INST would be "os\nsystem\n" and a call; none of it may even be parsed.
        byte[] pickle = new TestPickleWriter().Proto().Raw(opcode).Raw("os\nsystem\n"u8.ToArray()).Stop().ToArray();
        Rejected<UnsafePickleException>("opcode.pth", ZipWithPickle(pickle), expected);
    }

    [Fact]
    public void RefusesReduceOnAnythingButAWhitelistedConstructor()
    {
        byte[] onString = new TestPickleWriter().Proto().Str("os.system").Str("id").Tuple1().Reduce().Stop().ToArray();
        Rejected<UnsafePickleException>("reduce-str.pth", ZipWithPickle(onString), "REDUCE at offset", "calls a str 'os.system', not a whitelisted global");

        byte[] onStorage = new TestPickleWriter().Proto().Global("torch", "FloatStorage").EmptyTuple().Reduce().Stop().ToArray();
        Rejected<UnsafePickleException>("reduce-storage.pth", ZipWithPickle(onStorage), "calls 'torch.FloatStorage', which may only be named as a storage type");
    }

    [Fact]
    public void RefusesBuildOnAnythingButAnOrderedDict()
    {
        byte[] pickle = new TestPickleWriter().Proto().EmptyDict().EmptyDict().Build().Stop().ToArray();
        Rejected<UnsafePickleException>("build.pth", ZipWithPickle(pickle), "BUILD at offset 4 sets a dict state on a dict");
    }

    [Fact]
    public void RefusesTruncatedPickleAtEveryLength()
    {
        byte[] good = StateDictPickle(TwoTensors, orderedDict: true);
        Assert.Equal(2, PthCheckpoint.Read(ZipWithPickle(good)).Tensors.Count);
        for (int length = 0; length < good.Length; length++)
        {
            var error = Assert.Throws<WeightsFormatException>(() => PthCheckpoint.Read(ZipWithPickle(good[..length]), "cut.pth"));
            Assert.StartsWith("cut.pth: malformed pickle: ", error.Message);
        }
        Rejected<WeightsFormatException>("truncated.pth", ZipWithPickle(good[..100]), "runs past the end of the pickle");
        Rejected<WeightsFormatException>("no-stop.pth", ZipWithPickle(good[..^1]), "without a STOP opcode");
    }

    [Fact]
    public void RefusesMalformedPickles()
    {
        Rejected<WeightsFormatException>("underflow.pth", ZipWithPickle(new TestPickleWriter().Proto().Raw(0x85).Stop().ToArray()),
            "stack underflow: TUPLE1 at offset 2 needs 1 items");
        Rejected<WeightsFormatException>("memo.pth", ZipWithPickle(new TestPickleWriter().Proto().Get(5).Stop().ToArray()),
            "BINGET at offset 2 reads memo slot 5, which was never stored");
        Rejected<WeightsFormatException>("mark.pth", ZipWithPickle(new TestPickleWriter().Proto().EmptyDict().Mark().Str("k").SetItem().Stop().ToArray()),
            "stack underflow: SETITEM at offset");
        Rejected<WeightsFormatException>("two-objects.pth", ZipWithPickle(new TestPickleWriter().Proto().EmptyDict().EmptyDict().Stop().ToArray()),
            "STOP with 2 objects");
        Rejected<WeightsFormatException>("after-stop.pth", ZipWithPickle([.. StateDictPickle(TwoTensors), 0x2e]), "1 unexpected bytes after STOP");
        Rejected<WeightsFormatException>("key-type.pth", ZipWithPickle(new TestPickleWriter().Proto().EmptyDict().EmptyTuple().Int(1).SetItem().Stop().ToArray()),
            "uses a tuple of 0 as a dict key");
        Rejected<WeightsFormatException>("protocol.pth", ZipWithPickle(new TestPickleWriter().Proto(6).EmptyDict().Stop().ToArray()),
            "pickle protocol 6 is newer than 5");
        Rejected<WeightsFormatException>("bad-utf8.pth", ZipWithPickle(new TestPickleWriter().Proto().Raw((byte)'X', 1, 0, 0, 0, 0xff).Stop().ToArray()),
            "BINUNICODE at offset 2 holds a string that is not valid UTF-8");
        Rejected<WeightsFormatException>("huge-string.pth", ZipWithPickle(new TestPickleWriter().Proto().Raw((byte)'X', 0xff, 0xff, 0xff, 0x7f).Stop().ToArray()),
            "BINUNICODE at offset 2 runs past the end of the pickle");
    }

    [Fact]
    public void RefusesPickleThatIsNotAStateDict()
    {
        Rejected<WeightsFormatException>("list.pth", ZipWithPickle(new TestPickleWriter().Proto().EmptyList().Stop().ToArray()),
            "the checkpoint holds a list, not a state dict");
        Rejected<WeightsFormatException>("epoch.pth", ZipWithPickle(new TestPickleWriter().Proto().EmptyDict().Str("epoch").Int(3).SetItem().Stop().ToArray()),
            "not a state dict ('epoch' holds a int 3, not a tensor) and has no 'state_dict' or 'model' entry holding one");
        byte[] tensorWithHooks = new TestPickleWriter().Proto().EmptyDict().Str("w").Global("torch._utils", "_rebuild_tensor_v2")
            .Mark().Mark().Str("storage").Global("torch", "FloatStorage").Str("1").Str("cpu").Int(1).Tuple().BinPersId()
            .Int(0).EmptyTuple().EmptyTuple().False().None().Tuple().Reduce().SetItem().Stop().ToArray();
        Rejected<WeightsFormatException>("hooks.pth", ZipWithPickle(tensorWithHooks), "has backward hooks (None)");
    }

    [Fact]
    public void RefusesStorageTooSmallForTheView()
    {
        TestTensor tooBig = new("w", "FloatStorage", "0", 6, 0, [2, 4], [4, 1]);
        Rejected<WeightsFormatException>("small.pth", Zip(StateDictPickle([tooBig]), TwoStorages),
            "size [2, 4], stride [4, 1], offset 0 address 8 elements but storage '0' holds 6");
        TestTensor badStride = new("w", "FloatStorage", "0", 6, 1, [3, 2], [1, 3]);
        Rejected<WeightsFormatException>("stride.pth", Zip(StateDictPickle([badStride]), TwoStorages), "address 7 elements but storage '0' holds 6");
        TestTensor overflow = new("w", "FloatStorage", "0", 6, 0, [2, 2], [long.MaxValue / 2, 1]);
        Rejected<WeightsFormatException>("overflow.pth", Zip(StateDictPickle([overflow]), TwoStorages), "address");
        TestTensor negative = new("w", "FloatStorage", "0", 6, 0, [2], [-1]);
        Rejected<WeightsFormatException>("negative.pth", Zip(StateDictPickle([negative]), TwoStorages), "stride [-1] has a negative entry");
    }

    [Fact]
    public void RefusesStorageEntryOfTheWrongSize()
    {
        // The pickle says storage 0 has 6 floats; the entry holds 5.
        Rejected<WeightsFormatException>("size.pth", Zip(StateDictPickle(TwoTensors), new Dictionary<string, byte[]> { ["0"] = Iota(5), ["1"] = Floats(1) }),
            "'archive/data/0' holds 20 bytes but the pickle declares 6 Float32 elements (24 bytes)");
    }

    [Fact]
    public void RefusesMissingStorageEntry()
        => Rejected<WeightsFormatException>("missing.pth", Zip(StateDictPickle(TwoTensors), new Dictionary<string, byte[]> { ["0"] = Iota(6) }),
            "storage '1' is missing: no zip entry 'archive/data/1'");

    [Fact]
    public void RefusesBigEndianCheckpoint()
        => Rejected<WeightsFormatException>("big.pth", Zip(StateDictPickle(TwoTensors), TwoStorages, byteOrder: "big"),
            "archive/byteorder is 'big'; only little-endian checkpoints are supported");

    [Fact]
    public void AcceptsCheckpointWithoutByteOrderRecord()
        => Assert.Equal(2, PthCheckpoint.Read(Zip(StateDictPickle(TwoTensors), TwoStorages, byteOrder: null)).Tensors.Count);

    [Fact]
    public void RefusesZipThatIsNotACheckpoint()
    {
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        using (Stream s = zip.CreateEntry("docs/readme.txt").Open()) s.Write("hello"u8);
        Rejected<WeightsFormatException>("notes.zip", buffer.ToArray(), "not a PyTorch checkpoint (zip archive without data.pkl)");
    }

    [Fact]
    public void RefusesZipWithEntriesOutsideTheCheckpointFolder()
    {
        byte[] zip = Zip(StateDictPickle(TwoTensors), TwoStorages, extraEntries: new Dictionary<string, byte[]> { ["other/data/0"] = Iota(6) });
        Rejected<WeightsFormatException>("stray.pth", zip, "zip entry 'other/data/0' is outside the checkpoint folder 'archive/'");
    }

    [Fact]
    public void RefusesGarbageAfterZipMagic()
    {
        byte[] garbage = [(byte)'P', (byte)'K', 3, 4, .. Enumerable.Range(0, 200).Select(i => (byte)(i * 37))];
        Rejected<WeightsFormatException>("garbage.pth", garbage, "not a valid zip archive");
    }

    [Fact]
    public void RefusesTooManyZipEntriesAndOversizedPickle()
    {
        byte[] zip = Zip(StateDictPickle(TwoTensors), TwoStorages);
        var entries = Assert.Throws<WeightsFormatException>(() => PthCheckpoint.Read(zip, "x.pth", WeightsLimits.Default with { MaxZipEntries = 3 }));
        Assert.Equal("x.pth: the zip has 5 entries, above the limit of 3", entries.Message);
        var pickle = Assert.Throws<WeightsFormatException>(() => PthCheckpoint.Read(zip, "x.pth", WeightsLimits.Default with { MaxPickleBytes = 10 }));
        Assert.Contains("archive/data.pkl is", pickle.Message);
        Assert.Contains("above the limit of 10", pickle.Message);
    }

    [Fact]
    public void RandomCorruptionOnlyEverYieldsWeightsFormatErrors()
    {
        // Flipping bytes of a valid pickle must never surface IndexOutOfRange, InvalidCast, NullReference...
        byte[] good = StateDictPickle([.. TwoTensors, new TestTensor("t", "FloatStorage", "0", 6, 0, [3, 2], [1, 3])], orderedDict: true);
        var random = new Random(1234);
        int rejected = 0;
        for (int trial = 0; trial < 3000; trial++)
        {
            byte[] bad = (byte[])good.Clone();
            for (int flips = random.Next(1, 4); flips > 0; flips--) bad[random.Next(bad.Length)] = (byte)random.Next(256);
            try { PthCheckpoint.Read(ZipWithPickle(bad), "fuzz.pth"); }
            catch (WeightsFormatException ex)
            {
                Assert.StartsWith("fuzz.pth: ", ex.Message);
                rejected++;
            }
        }
        Assert.True(rejected > 2000, $"only {rejected} of 3000 corrupted pickles were rejected");
    }

    [Theory]
    [InlineData(CompressionLevel.NoCompression)]
    [InlineData(CompressionLevel.Optimal)]
    public void RandomCorruptionOfTheZipOnlyEverYieldsWeightsFormatErrors(CompressionLevel compression)
    {
        // ZipArchive has its own failure modes (bad headers, offsets, deflate data); none may escape unwrapped.
        byte[] good = Zip(StateDictPickle(TwoTensors), TwoStorages, compression: compression);
        var random = new Random(99);
        int rejected = 0;
        for (int trial = 0; trial < 3000; trial++)
        {
            byte[] bad = (byte[])good.Clone();
            for (int flips = random.Next(1, 4); flips > 0; flips--) bad[random.Next(bad.Length)] = (byte)random.Next(256);
            try { PthCheckpoint.Read(bad, "zipfuzz.pth"); }
            catch (WeightsFormatException ex)
            {
                Assert.StartsWith("zipfuzz.pth: ", ex.Message);
                rejected++;
            }
        }
        Assert.True(rejected > 100, $"only {rejected} of 3000 corrupted zips were rejected");
    }
}

internal static class StreamTestExtensions
{
    public static byte[] ReadExactlyArray(this Stream stream, int count)
    {
        var bytes = new byte[count];
        stream.ReadExactly(bytes);
        stream.Dispose();
        return bytes;
    }
}
