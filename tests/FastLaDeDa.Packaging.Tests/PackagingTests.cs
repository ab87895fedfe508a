using System.IO.Compression;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using Xunit.Abstractions;

namespace FastLaDeDa.Packaging.Tests;

/// <summary>
/// The packages as a user gets them: what <c>dotnet pack</c> makes, the sample app built against
/// the FastLaDeDa package from a folder feed, and the tool installed from it — both must score
/// exactly as the repository's own CLI.
/// </summary>
public sealed class PackagingTests(PackageFeed feed, ITestOutputHelper output) : IClassFixture<PackageFeed>
{
    private const string RepositoryUrl = "https://github.com/fastladeda/fastladeda";
    private static readonly TimeSpan RestoreTimeout = TimeSpan.FromMinutes(4);

    [Fact]
    public void Pack_makes_exactly_the_three_packages_and_their_symbol_packages()
    {
        output.WriteLine($"{feed.PackNote}: {feed.PackTime.TotalSeconds:F1} s");
        var expected = PackageFeed.PackageIds.SelectMany(id => new[] { $"{id}.{feed.Version}.nupkg", $"{id}.{feed.Version}.snupkg" }).Order(StringComparer.Ordinal);
        var actual = Directory.GetFiles(feed.FeedDir).Select(Path.GetFileName).Order(StringComparer.Ordinal);
        Assert.Equal(expected, actual);
        foreach (string f in Directory.GetFiles(feed.FeedDir))
            output.WriteLine($"{Path.GetFileName(f)}: {new FileInfo(f).Length:N0} bytes");
    }

    [Theory]
    [InlineData("FastLaDeDa")]
    [InlineData("FastLaDeDa.Gpu")]
    [InlineData("FastLaDeDa.Cli")]
    public void Package_carries_readme_license_and_repository(string id)
    {
        using var zip = ZipFile.OpenRead(feed.PackagePath(id));
        var meta = Metadata(zip, id);
        Assert.Equal(id, Value(meta, "id"));
        Assert.Equal(feed.Version, Value(meta, "version"));
        Assert.False(string.IsNullOrWhiteSpace(Value(meta, "description")), "no description");
        Assert.False(string.IsNullOrWhiteSpace(Value(meta, "authors")), "no authors");
        Assert.Equal(RepositoryUrl, Value(meta, "projectUrl"));

        var license = Child(meta, "license");
        Assert.True(license is not null, $"{id}: no <license> in the nuspec");
        Assert.Equal("expression", (string?)license!.Attribute("type"));
        Assert.Equal("MIT", license.Value);

        var repository = Child(meta, "repository");
        Assert.True(repository is not null, $"{id}: no <repository> in the nuspec");
        Assert.Equal(RepositoryUrl, (string?)repository!.Attribute("url"));
        Assert.Equal("git", (string?)repository.Attribute("type"));

        string readme = Value(meta, "readme");
        Assert.Equal("README.md", readme);
        var entry = zip.GetEntry(readme);
        Assert.True(entry is not null, $"{id}: the nuspec names {readme} but the package has no such file");
        using var reader = new StreamReader(entry!.Open());
        string text = reader.ReadToEnd();
        Assert.Contains("dotnet ", text, StringComparison.Ordinal);
        Assert.DoesNotContain("../shared", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("FastLaDeDa")]
    [InlineData("FastLaDeDa.Gpu")]
    public void Library_package_carries_its_xml_documentation(string id)
    {
        using var zip = ZipFile.OpenRead(feed.PackagePath(id));
        var names = zip.Entries.Select(e => e.FullName).ToHashSet();
        Assert.Contains($"lib/net10.0/{id}.dll", names);
        Assert.Contains($"lib/net10.0/{id}.xml", names);
        using var reader = new StreamReader(zip.GetEntry($"lib/net10.0/{id}.xml")!.Open());
        var doc = XDocument.Load(reader);
        Assert.True(doc.Descendants("member").Count() > 50, $"{id}.xml documents only {doc.Descendants("member").Count()} members");
    }

    [Fact]
    public void Core_package_embeds_the_default_weights()
    {
        using var zip = ZipFile.OpenRead(feed.PackagePath("FastLaDeDa"));
        using var dll = new MemoryStream();
        using (var s = zip.GetEntry("lib/net10.0/FastLaDeDa.dll")!.Open()) s.CopyTo(dll);
        dll.Position = 0;
        using var pe = new PEReader(dll);
        var md = pe.GetMetadataReader();
        var resources = md.ManifestResources.Select(h => md.GetString(md.GetManifestResource(h).Name)).ToList();
        Assert.True(resources.Contains("FastLaDeDa.weights.tiny-ladeda.safetensors"),
            "FastLaDeDa.dll in the package has no embedded default weights; resources: " + string.Join(", ", resources));
    }

    [Fact]
    public void Gpu_package_depends_on_the_same_FastLaDeDa()
    {
        using var zip = ZipFile.OpenRead(feed.PackagePath("FastLaDeDa.Gpu"));
        var deps = Dependencies(Metadata(zip, "FastLaDeDa.Gpu"));
        Assert.True(deps.TryGetValue("FastLaDeDa", out string? version), "FastLaDeDa.Gpu does not depend on FastLaDeDa: " + string.Join(", ", deps.Keys));
        Assert.Equal(feed.Version, version);
    }

    [Fact]
    public void Tool_package_is_a_dotnet_tool_named_fastladeda_without_dependencies()
    {
        using var zip = ZipFile.OpenRead(feed.PackagePath("FastLaDeDa.Cli"));
        var meta = Metadata(zip, "FastLaDeDa.Cli");
        Assert.Contains(meta.Descendants().Where(e => e.Name.LocalName == "packageType"), e => (string?)e.Attribute("name") == "DotnetTool");
        Assert.Empty(Dependencies(meta));
        var settings = zip.Entries.Single(e => e.FullName.EndsWith("/DotnetToolSettings.xml", StringComparison.Ordinal));
        using var reader = new StreamReader(settings.Open());
        var command = XDocument.Load(reader).Descendants().Single(e => e.Name.LocalName == "Command");
        Assert.Equal("fastladeda", (string?)command.Attribute("Name"));
        // The native libraries of runtimes .NET does not ship are left out (FastLaDeDa.Cli.csproj).
        Assert.DoesNotContain(zip.Entries, e => Regex.IsMatch(e.FullName, "/runtimes/(linux-x86|linux(-musl)?-(loongarch64|riscv64))/"));
        Assert.Contains(zip.Entries, e => e.FullName.EndsWith("/runtimes/linux-x64/native/libSkiaSharp.so", StringComparison.Ordinal));
        // A library's project references travel inside the tool (the CLI needs no FastLaDeDa package).
        Assert.Contains(zip.Entries, e => e.FullName.EndsWith("/any/FastLaDeDa.dll", StringComparison.Ordinal));
        Assert.Contains(zip.Entries, e => e.FullName.EndsWith("/any/FastLaDeDa.Gpu.dll", StringComparison.Ordinal));
    }

    [Fact]
    public void Core_package_does_not_depend_on_StbImageWriteSharp()
    {
        // JPEG encoding (jpeg-sweep, eval --jpeg) lives in FastLaDeDa.Tools, inside the tool only.
        using var zip = ZipFile.OpenRead(feed.PackagePath("FastLaDeDa"));
        Assert.DoesNotContain("StbImageWriteSharp", Dependencies(Metadata(zip, "FastLaDeDa")).Keys);
    }

    [Fact]
    public void Sample_built_against_the_package_scores_like_the_cli()
    {
        output.WriteLine(feed.FallbackNote);
        if (PackageFeed.GoldenImage is null)
            output.WriteLine("../shared not found (set FASTLADEDA_SHARED): only the generated image is scored");
        var reference = feed.CliLogits;

        // A copy of samples/ inside the repository (under artifacts/): the repository's
        // Directory.Build.props and Directory.Packages.props are above it, as above the original,
        // and the copy's own stop them; the feed's nuget.config is in the folder above.
        string samples = Path.Combine(feed.RunDir, "samples");
        CopyTree(Path.Combine(feed.RepoRoot, "samples"), samples);
        string project = Path.Combine(samples, "FastLaDeDa.Sample");
        var build = Dotnet.RunChecked(["build", "-c", "Release", $"-p:FastLaDeDaVersion={feed.Version}", "--disable-build-servers", "-nodeReuse:false"],
            project, feed.RestoreEnvironment, RestoreTimeout);
        output.WriteLine($"sample restore + build: {build.Elapsed.TotalSeconds:F1} s");
        Assert.True(Directory.Exists(Path.Combine(feed.PackagesDir, "fastladeda", feed.Version)),
            $"the sample's FastLaDeDa {feed.Version} was not restored from the test feed into {feed.PackagesDir}\n{build.Describe()}");
        // ... and it is the feed's package, byte for byte (NuGet records the SHA-512 of what it extracted).
        string recorded = File.ReadAllText(Path.Combine(feed.PackagesDir, "fastladeda", feed.Version, $"fastladeda.{feed.Version}.nupkg.sha512")).Trim();
        string packed = Convert.ToBase64String(System.Security.Cryptography.SHA512.HashData(File.ReadAllBytes(feed.PackagePath("FastLaDeDa"))));
        Assert.True(recorded == packed, $"the sample restored a FastLaDeDa {feed.Version} that is not the one just packed into {feed.FeedDir}");

        string dll = Path.Combine(project, "bin", "Release", "net10.0", "FastLaDeDa.Sample.dll");
        foreach (string image in feed.Images)
        {
            var run = Dotnet.RunChecked(["exec", dll, image], project);
            string line = run.StdOut.TrimEnd('\r', '\n');
            string[] parts = line.Split('\t');
            Assert.True(parts.Length == 2 && parts[0] == image, $"expected one line \"{image}<TAB>logit\"\n{run.Describe()}");
            AssertSameLogit(reference[image], parts[1], image, "the sample");
            output.WriteLine($"{Path.GetFileName(image)}: sample {parts[1]}, CLI {reference[image]}");
        }

        // Failure: exit code 1 and one "error:" line.
        string missing = Path.Combine(feed.RunDir, "missing.jpg");
        var failed = Dotnet.Run(["exec", dll, missing], project);
        Assert.True(failed.ExitCode == 1, failed.Describe());
        string[] errorLines = failed.StdErr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(errorLines.Length == 1 && errorLines[0].StartsWith("error: ", StringComparison.Ordinal), failed.Describe());
    }

    [Fact]
    public void Tool_installed_from_the_feed_reports_the_version_and_scores_like_the_cli()
    {
        output.WriteLine(feed.FallbackNote);
        var reference = feed.CliLogits;
        string toolPath = Path.Combine(feed.RunDir, "tool");
        var install = Dotnet.RunChecked(["tool", "install", "FastLaDeDa.Cli", "--tool-path", toolPath, "--add-source", feed.FeedDir, "--version", feed.Version],
            feed.RunDir, feed.RestoreEnvironment, RestoreTimeout);
        output.WriteLine($"tool install: {install.Elapsed.TotalSeconds:F1} s");

        string command = Path.Combine(toolPath, OperatingSystem.IsWindows() ? "fastladeda.exe" : "fastladeda");
        var version = Dotnet.RunProgram(command, ["--version"], feed.RunDir);
        Assert.True(version.ExitCode == 0, version.Describe());
        // System.CommandLine prints the informational version: VersionPrefix, plus "+commit" when
        // the build knew its git commit (SourceLink sets it).
        Assert.Matches($"^{Regex.Escape(feed.Version)}(\\+[0-9a-f]+)?$", version.StdOut.Trim());
        output.WriteLine($"fastladeda --version: {version.StdOut.Trim()}");

        var detect = Dotnet.RunProgram(command, ["detect", "--json", .. feed.Images], feed.RunDir);
        Assert.True(detect.ExitCode == 0, detect.Describe());
        var logits = PackageFeed.ParseJsonLogits(detect);
        foreach (string image in feed.Images)
        {
            Assert.True(logits.ContainsKey(image), $"the installed tool printed nothing for {image}\n{detect.Describe()}");
            AssertSameLogit(reference[image], logits[image], image, "the installed tool");
        }

        // The plotting commands load SkiaSharp's native library from the package's runtimes/.
        string heatmap = Path.Combine(feed.RunDir, "heatmap.png");
        var draw = Dotnet.RunProgram(command, ["heatmap", feed.GeneratedImage, "-o", heatmap], feed.RunDir);
        Assert.True(draw.ExitCode == 0 && File.Exists(heatmap) && new FileInfo(heatmap).Length > 1000, draw.Describe());
    }

    private static void AssertSameLogit(string expected, string actual, string image, string who)
    {
        // The same string (both are shortest round-trip doubles); failing that, the same double.
        if (expected == actual) return;
        double e = double.Parse(expected, System.Globalization.CultureInfo.InvariantCulture);
        double a = double.Parse(actual, System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(Math.Abs(e - a) <= 1e-9, $"{image}: {who} scored logit {actual}, the repository's CLI {expected}");
    }

    private static XElement Metadata(ZipArchive zip, string id)
    {
        var entry = zip.GetEntry($"{id}.nuspec");
        Assert.True(entry is not null, $"no {id}.nuspec in the package: " + string.Join(", ", zip.Entries.Select(e => e.FullName)));
        using var s = entry!.Open();
        return XDocument.Load(s).Root!.Elements().Single(e => e.Name.LocalName == "metadata");
    }

    private static XElement? Child(XElement e, string name) => e.Elements().FirstOrDefault(c => c.Name.LocalName == name);

    private static string Value(XElement e, string name) => Child(e, name)?.Value ?? "";

    private static Dictionary<string, string> Dependencies(XElement meta) =>
        meta.Descendants().Where(e => e.Name.LocalName == "dependency")
            .ToDictionary(e => (string)e.Attribute("id")!, e => (string)e.Attribute("version")!);

    private static void CopyTree(string from, string to)
    {
        foreach (string dir in Directory.GetDirectories(from, "*", SearchOption.AllDirectories))
        {
            string rel = Path.GetRelativePath(from, dir);
            if (rel.Split(Path.DirectorySeparatorChar).Any(p => p is "bin" or "obj")) continue;
            Directory.CreateDirectory(Path.Combine(to, rel));
        }
        Directory.CreateDirectory(to);
        foreach (string file in Directory.GetFiles(from, "*", SearchOption.AllDirectories))
        {
            string rel = Path.GetRelativePath(from, file);
            if (rel.Split(Path.DirectorySeparatorChar).Any(p => p is "bin" or "obj")) continue;
            File.Copy(file, Path.Combine(to, rel));
        }
    }
}
