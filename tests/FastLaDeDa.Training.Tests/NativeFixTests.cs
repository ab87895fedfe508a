using System.Buffers.Binary;
using System.Reflection;
using System.Text;
using System.Text.Json;
using FastLaDeDa.Training.Native;

namespace FastLaDeDa.Training.Tests;

/// <summary>
/// The build step of training/TorchSharpNativeFix.targets: TorchSharp's native library loads from
/// this test's output folder, and the copy there differs from the NuGet cache's file at most in the
/// flags of the GLIBCXX_3.4.32 version requirement.
/// </summary>
public class NativeFixTests
{
    private const string Version = "GLIBCXX_3.4.32";

    [Fact]
    public void A_TorchSharp_operation_runs_with_the_library_from_the_output_folder()
    {
        Assert.Equal(6f, TorchRuntime.Smoke());
        if (!OperatingSystem.IsLinux()) return;
        // Not a copy TorchSharp consolidated elsewhere (a cpu/ folder) or the cache's own file.
        string expected = Path.Combine(AppContext.BaseDirectory, "runtimes", "linux-x64", "native", TorchRuntime.LibTorchSharpFileName);
        Assert.Equal([Path.GetFullPath(expected)], TorchRuntime.LoadedLibraries());
    }

    [SkippableFact]
    public void The_output_copy_differs_from_the_package_cache_only_in_the_version_flags()
    {
        Skip.IfNot(OperatingSystem.IsLinux(), "the fix applies to Linux only");
        string output = Path.Combine(AppContext.BaseDirectory, "runtimes", "linux-x64", "native", TorchRuntime.LibTorchSharpFileName);
        string original = PackageCacheCopy();
        byte[] patched = File.ReadAllBytes(output), restored = File.ReadAllBytes(original);
        Assert.Equal(restored.Length, patched.Length);
        int[] differing = [.. Enumerable.Range(0, patched.Length).Where(i => patched[i] != restored[i])];

        if (SystemLibStdCxxHasVersion())
        {
            Assert.Empty(differing); // not needed here, so not done
            return;
        }
        int flags = VernauxFlagsOffset(restored, Version);
        Assert.All(differing, i => Assert.InRange(i, flags, flags + 1));
        ushort before = BinaryPrimitives.ReadUInt16LittleEndian(restored.AsSpan(flags));
        ushort after = BinaryPrimitives.ReadUInt16LittleEndian(patched.AsSpan(flags));
        Assert.Equal(0, before & 0x2);
        Assert.Equal(before | 0x2, after); // VER_FLG_WEAK, nothing else
    }

    /// <summary>The restored package's file: NuGet's package root (recorded at build) + the package path from our deps.json.</summary>
    private static string PackageCacheCopy()
    {
        string root = typeof(NativeFixTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "NuGetPackageRoot").Value!;
        string deps = Path.Combine(AppContext.BaseDirectory, "FastLaDeDa.Training.Tests.deps.json");
        using var json = JsonDocument.Parse(File.ReadAllText(deps));
        var torchSharp = json.RootElement.GetProperty("libraries").EnumerateObject().Single(p => p.Name.StartsWith("TorchSharp/", StringComparison.Ordinal));
        string path = Path.Combine(root, torchSharp.Value.GetProperty("path").GetString()!, "runtimes", "linux-x64", "native", TorchRuntime.LibTorchSharpFileName);
        Skip.IfNot(File.Exists(path), $"{path} not found (package cache moved since the build?)");
        return path;
    }

    private static bool SystemLibStdCxxHasVersion()
    {
        string? lib = new[] { "/usr/lib/x86_64-linux-gnu/libstdc++.so.6", "/lib/x86_64-linux-gnu/libstdc++.so.6", "/usr/lib64/libstdc++.so.6", "/lib64/libstdc++.so.6" }
            .FirstOrDefault(File.Exists);
        return lib is not null && File.ReadAllBytes(lib).AsSpan().IndexOf(Encoding.ASCII.GetBytes(Version + "\0")) >= 0;
    }

    /// <summary>Offset of vna_flags of the Vernaux entry named <paramref name="name"/> in an ELF64 little-endian file's .gnu.version_r.</summary>
    private static int VernauxFlagsOffset(byte[] elf, string name)
    {
        ReadOnlySpan<byte> d = elf;
        ulong shoff = BinaryPrimitives.ReadUInt64LittleEndian(d[0x28..]);
        int shentsize = BinaryPrimitives.ReadUInt16LittleEndian(d[0x3A..]), shnum = BinaryPrimitives.ReadUInt16LittleEndian(d[0x3C..]);
        for (int s = 0; s < shnum; s++)
        {
            var sh = d[(int)((int)shoff + s * shentsize)..];
            if (BinaryPrimitives.ReadUInt32LittleEndian(sh[4..]) != 0x6ffffffe) continue; // SHT_GNU_verneed
            int offset = (int)BinaryPrimitives.ReadUInt64LittleEndian(sh[0x18..]);
            int link = (int)BinaryPrimitives.ReadUInt32LittleEndian(sh[0x28..]);
            int entries = (int)BinaryPrimitives.ReadUInt32LittleEndian(sh[0x2C..]);
            int strtab = (int)BinaryPrimitives.ReadUInt64LittleEndian(d[((int)shoff + link * shentsize + 0x18)..]);
            for (int vn = offset, e = 0; e < entries; e++)
            {
                int count = BinaryPrimitives.ReadUInt16LittleEndian(d[(vn + 2)..]);
                for (int aux = vn + (int)BinaryPrimitives.ReadUInt32LittleEndian(d[(vn + 8)..]), a = 0; a < count; a++)
                {
                    int nameAt = strtab + (int)BinaryPrimitives.ReadUInt32LittleEndian(d[(aux + 8)..]);
                    if (Encoding.ASCII.GetString(d[nameAt..][..d[nameAt..].IndexOf((byte)0)]) == name) return aux + 4;
                    aux += (int)BinaryPrimitives.ReadUInt32LittleEndian(d[(aux + 12)..]);
                }
                vn += (int)BinaryPrimitives.ReadUInt32LittleEndian(d[(vn + 12)..]);
            }
        }
        throw new Xunit.Sdk.XunitException($"no {name} requirement in the restored library");
    }
}
