// The MSBuild task behind TorchSharpNativeFix.targets (compiled by RoslynCodeTaskFactory, so it
// sticks to the netstandard 2.0 API surface). See training/README.md, "The native-library fix".
//
// TorchSharp-cpu 0.107.0's libLibTorchSharp.so lists the ELF symbol version GLIBCXX_3.4.32 among
// what it needs from libstdc++.so.6. Debian 12 ships libstdc++ up to GLIBCXX_3.4.30, so the dynamic
// loader refuses the library and TorchSharp's static constructor throws. The only symbol tied to
// that version is _ZSt21ios_base_library_initv, which nothing calls (no relocation names it). This
// task marks that version requirement weak (vna_flags |= VER_FLG_WEAK) in the *copy* of the library
// in an output folder; ld.so then accepts the library when the version is absent.
using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

public sealed class PatchElfWeakVersion : Task
{
    private const uint ShtDynSym = 11;
    private const uint ShtGnuVerneed = 0x6ffffffe;
    private const uint ShtGnuVersym = 0x6fffffff;
    private const ushort VerFlgWeak = 0x2;

    /// <summary>Output folders to look in (the file may sit flat or under runtimes/linux-x64/native).</summary>
    [Required] public ITaskItem[] Directories { get; set; } = new ITaskItem[0];

    /// <summary>The library's file name.</summary>
    [Required] public string FileName { get; set; } = "";

    /// <summary>The symbol version to mark weak.</summary>
    [Required] public string VersionName { get; set; } = "";

    /// <summary>Symbols that may be tied to that version (anything else makes the patch unsafe).</summary>
    [Required] public string AllowedSymbols { get; set; } = "";

    /// <summary>auto (patch when the system libstdc++ lacks the version), always, or never.</summary>
    public string Mode { get; set; } = "auto";

    /// <summary>The NuGet package cache: a file under it is never written.</summary>
    public string PackageRoot { get; set; } = "";

    public override bool Execute()
    {
        var files = Directories
            .SelectMany(d => new[] { Path.Combine(d.ItemSpec, FileName), Path.Combine(d.ItemSpec, "runtimes", "linux-x64", "native", FileName) })
            .Select(Path.GetFullPath).Distinct().Where(File.Exists).ToList();
        if (files.Count == 0)
        {
            Log.LogMessage(MessageImportance.Normal, "TorchSharpNativeFix: no {0} in {1}; nothing to do", FileName, string.Join(", ", Directories.Select(d => d.ItemSpec)));
            return true;
        }

        string mode = (Mode ?? "auto").Trim().ToLowerInvariant();
        if (mode != "auto" && mode != "always" && mode != "never")
        {
            Log.LogError("TorchSharpNativeFix: TorchSharpNativeFix='{0}' is not auto, always or never", Mode);
            return false;
        }
        string reason;
        if (mode == "never")
        {
            Log.LogMessage(MessageImportance.Normal, "TorchSharpNativeFix: disabled (TorchSharpNativeFix=never); {0} left as restored", string.Join(", ", files));
            return true;
        }
        if (mode == "always")
        {
            reason = "TorchSharpNativeFix=always";
        }
        else
        {
            string system;
            string highest;
            bool has = SystemLibStdCxxHas(VersionName, out system, out highest);
            if (has)
            {
                Log.LogMessage(MessageImportance.Normal, "TorchSharpNativeFix: not needed, {0} provides {1}; {2} left as restored", system, VersionName, string.Join(", ", files));
                return true;
            }
            reason = system == null ? "no libstdc++.so.6 found" : system + " provides only up to " + highest;
        }

        var done = new List<string>();
        bool changed = false;
        foreach (string file in files)
        {
            if (!string.IsNullOrEmpty(PackageRoot) && IsUnder(file, PackageRoot))
            {
                Log.LogError("TorchSharpNativeFix: refusing to modify {0}: it is inside the NuGet package cache {1}", file, PackageRoot);
                return false;
            }
            string outcome = PatchFile(file);
            if (outcome == null) return false;
            changed |= outcome.StartsWith("marked", StringComparison.Ordinal);
            done.Add(file + ": " + outcome);
        }
        Log.LogMessage(changed ? MessageImportance.High : MessageImportance.Normal,
            "TorchSharpNativeFix ({0}): {1}", reason, string.Join("; ", done));
        return true;
    }

    /// <summary>Marks the version weak in <paramref name="path"/>; returns what was done, or null after logging an error.</summary>
    private string PatchFile(string path)
    {
        byte[] data = File.ReadAllBytes(path);
        string error;
        int flagsOffset;
        ushort versionIndex;
        if (!FindVernaux(data, VersionName, out flagsOffset, out versionIndex, out error))
        {
            if (error != null) { Log.LogError("TorchSharpNativeFix: {0}: {1}", path, error); return null; }
            return "does not require " + VersionName + ", left alone";
        }
        List<string> tied = SymbolsWithVersion(data, versionIndex);
        var allowed = new HashSet<string>(AllowedSymbols.Split(new[] { ';', ',' }, StringSplitOptions.RemoveEmptyEntries).Select(s => s.Trim()));
        var unsafeSymbols = tied.Where(s => !allowed.Contains(s)).ToList();
        if (unsafeSymbols.Count > 0)
        {
            Log.LogError("TorchSharpNativeFix: {0}: {1} is needed by {2}, not only by the known-unused {3}; marking it weak would not be safe",
                path, VersionName, string.Join(", ", unsafeSymbols), AllowedSymbols);
            return null;
        }
        ushort flags = BitConverter.ToUInt16(data, flagsOffset);
        string tiedText = tied.Count == 0 ? "no symbol" : string.Join(", ", tied);
        if ((flags & VerFlgWeak) != 0) return VersionName + " already weak (needed only by " + tiedText + ")";

        flags |= VerFlgWeak;
        // Patch a fresh copy and rename it over the old file: if the output copy is a hard or
        // symbolic link into the package cache, only the link is replaced, never the cache's file.
        // File.Copy keeps the permissions; the old time stamp is restored so MSBuild's incremental
        // copy (same size and time) leaves the patched copy in place on the next build.
        DateTime stamp = File.GetLastWriteTimeUtc(path);
        string temp = path + ".fastladeda-tmp";
        File.Copy(path, temp, true);
        using (var stream = new FileStream(temp, FileMode.Open, FileAccess.Write))
        {
            stream.Position = flagsOffset;
            stream.Write(new[] { (byte)flags, (byte)(flags >> 8) }, 0, 2);
        }
        File.SetLastWriteTimeUtc(temp, stamp);
        File.Delete(path);
        File.Move(temp, path);
        return "marked " + VersionName + " weak (needed only by " + tiedText + ")";
    }

    private static bool IsUnder(string file, string root)
    {
        string r = Path.GetFullPath(root).TrimEnd('/') + "/";
        return Path.GetFullPath(file).StartsWith(r, StringComparison.Ordinal);
    }

    /// <summary>Whether the libstdc++ the loader would use holds the version string.</summary>
    private static bool SystemLibStdCxxHas(string version, out string system, out string highest)
    {
        system = null;
        highest = "?";
        foreach (string candidate in LibStdCxxCandidates())
        {
            if (!File.Exists(candidate)) continue;
            byte[] bytes = File.ReadAllBytes(candidate);
            system = candidate;
            highest = HighestGlibcxx(bytes);
            return IndexOf(bytes, Encoding.ASCII.GetBytes(version + "\0")) >= 0;
        }
        return false;
    }

    /// <summary>libstdc++.so.6 as ldconfig's cache lists it for x86-64, then the usual locations.</summary>
    private static IEnumerable<string> LibStdCxxCandidates()
    {
        var fromCache = new List<string>();
        foreach (string ldconfig in new[] { "/sbin/ldconfig", "/usr/sbin/ldconfig", "ldconfig" })
        {
            try
            {
                var start = new ProcessStartInfo(ldconfig, "-p") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
                using (var p = Process.Start(start))
                {
                    string output = p.StandardOutput.ReadToEnd();
                    p.WaitForExit();
                    foreach (string line in output.Split('\n'))
                    {
                        string l = line.Trim();
                        int arrow = l.IndexOf("=>", StringComparison.Ordinal);
                        if (l.StartsWith("libstdc++.so.6 ", StringComparison.Ordinal) && l.Contains("x86-64") && arrow > 0)
                            fromCache.Add(l.Substring(arrow + 2).Trim());
                    }
                }
                break;
            }
            catch (Exception) { /* not there: try the next one */ }
        }
        return fromCache.Concat(new[]
        {
            "/usr/lib/x86_64-linux-gnu/libstdc++.so.6", "/lib/x86_64-linux-gnu/libstdc++.so.6",
            "/usr/lib64/libstdc++.so.6", "/lib64/libstdc++.so.6", "/usr/lib/libstdc++.so.6",
        });
    }

    private static string HighestGlibcxx(byte[] bytes)
    {
        byte[] prefix = Encoding.ASCII.GetBytes("GLIBCXX_3.4.");
        int best = -1;
        for (int i = IndexOf(bytes, prefix, 0); i >= 0; i = IndexOf(bytes, prefix, i + 1))
        {
            int n = 0, j = i + prefix.Length, digits = 0;
            while (j < bytes.Length && bytes[j] >= (byte)'0' && bytes[j] <= (byte)'9') { n = n * 10 + (bytes[j] - '0'); j++; digits++; }
            if (digits > 0 && j < bytes.Length && bytes[j] == 0) best = Math.Max(best, n);
        }
        return best < 0 ? "(no GLIBCXX_3.4.x)" : "GLIBCXX_3.4." + best;
    }

    private static int IndexOf(byte[] haystack, byte[] needle, int from = 0)
    {
        for (int i = from; i <= haystack.Length - needle.Length; i++)
        {
            if (haystack[i] != needle[0]) continue;
            int k = 1;
            while (k < needle.Length && haystack[i + k] == needle[k]) k++;
            if (k == needle.Length) return i;
        }
        return -1;
    }

    private struct Section { public uint Type; public ulong Offset; public ulong Size; public uint Link; public uint Info; public ulong EntSize; }

    private static Section[] Sections(byte[] d)
    {
        ulong shoff = BitConverter.ToUInt64(d, 0x28);
        int shentsize = BitConverter.ToUInt16(d, 0x3A), shnum = BitConverter.ToUInt16(d, 0x3C);
        if (shoff == 0 || shentsize < 0x40 || shoff + (ulong)shentsize * (ulong)shnum > (ulong)d.Length)
            throw new InvalidDataException("section headers out of range");
        var result = new Section[shnum];
        for (int i = 0; i < shnum; i++)
        {
            int o = checked((int)shoff + i * shentsize);
            result[i] = new Section
            {
                Type = BitConverter.ToUInt32(d, o + 4), Offset = BitConverter.ToUInt64(d, o + 0x18), Size = BitConverter.ToUInt64(d, o + 0x20),
                Link = BitConverter.ToUInt32(d, o + 0x28), Info = BitConverter.ToUInt32(d, o + 0x2C), EntSize = BitConverter.ToUInt64(d, o + 0x38),
            };
            if (result[i].Type != 8 /* SHT_NOBITS */ && result[i].Offset + result[i].Size > (ulong)d.Length)
                throw new InvalidDataException("section " + i + " lies outside the file");
        }
        return result;
    }

    private static string CString(byte[] d, ulong offset)
    {
        int start = checked((int)offset), end = start;
        while (end < d.Length && d[end] != 0) end++;
        return Encoding.ASCII.GetString(d, start, end - start);
    }

    /// <summary>
    /// Finds the Vernaux entry named <paramref name="version"/> in .gnu.version_r. Returns false with
    /// a null error when the file does not need that version, false with an error when the file is
    /// not a little-endian ELF64 or is malformed.
    /// </summary>
    private static bool FindVernaux(byte[] d, string version, out int flagsOffset, out ushort versionIndex, out string error)
    {
        flagsOffset = -1;
        versionIndex = 0;
        error = null;
        if (d.Length < 0x40 || d[0] != 0x7f || d[1] != (byte)'E' || d[2] != (byte)'L' || d[3] != (byte)'F')
        { error = "not an ELF file"; return false; }
        if (d[4] != 2 || d[5] != 1) { error = "not a little-endian 64-bit ELF file"; return false; }
        try
        {
            Section[] sections = Sections(d);
            foreach (Section s in sections.Where(x => x.Type == ShtGnuVerneed))
            {
                ulong strtab = sections[s.Link].Offset;
                ulong vn = s.Offset;
                for (uint i = 0; i < s.Info; i++)
                {
                    int cnt = BitConverter.ToUInt16(d, (int)vn + 2);
                    ulong aux = vn + BitConverter.ToUInt32(d, (int)vn + 8);
                    for (int j = 0; j < cnt; j++)
                    {
                        if (CString(d, strtab + BitConverter.ToUInt32(d, (int)aux + 8)) == version)
                        {
                            flagsOffset = (int)aux + 4;
                            versionIndex = BitConverter.ToUInt16(d, (int)aux + 6);
                            return true;
                        }
                        uint nextAux = BitConverter.ToUInt32(d, (int)aux + 12);
                        if (nextAux == 0) break;
                        aux += nextAux;
                    }
                    uint next = BitConverter.ToUInt32(d, (int)vn + 12);
                    if (next == 0) break;
                    vn += next;
                }
            }
            return false;
        }
        catch (Exception e) when (e is InvalidDataException || e is ArgumentException || e is IndexOutOfRangeException || e is OverflowException)
        {
            error = "malformed ELF file (" + e.Message + ")";
            return false;
        }
    }

    /// <summary>Names of the dynamic symbols whose .gnu.version entry is <paramref name="versionIndex"/>.</summary>
    private static List<string> SymbolsWithVersion(byte[] d, ushort versionIndex)
    {
        var names = new List<string>();
        Section[] sections = Sections(d);
        int dynsymIndex = Array.FindIndex(sections, s => s.Type == ShtDynSym);
        int versymIndex = Array.FindIndex(sections, s => s.Type == ShtGnuVersym);
        if (dynsymIndex < 0 || versymIndex < 0) return names;
        Section dynsym = sections[dynsymIndex], versym = sections[versymIndex];
        ulong strtab = sections[dynsym.Link].Offset;
        ulong entSize = dynsym.EntSize == 0 ? 24 : dynsym.EntSize;
        ulong count = dynsym.Size / entSize;
        for (ulong i = 0; i < count; i++)
        {
            ushort v = (ushort)(BitConverter.ToUInt16(d, (int)(versym.Offset + 2 * i)) & 0x7fff);
            if (v == versionIndex)
                names.Add(CString(d, strtab + BitConverter.ToUInt32(d, (int)(dynsym.Offset + i * entSize))));
        }
        return names;
    }
}
