using System.Diagnostics;
using System.Reflection;
using System.Text.Json;
using System.Xml.Linq;
using FastLaDeDa.Tests.Support;

namespace FastLaDeDa.Packaging.Tests;

/// <summary>
/// Packs FastLaDeDa, FastLaDeDa.Gpu and the FastLaDeDa.Cli tool once per test run into a fresh
/// folder feed under <c>artifacts/packaging-tests/</c> (removed afterwards), with a private
/// NuGet packages folder so that no cached copy of the same version can stand in for them.
/// </summary>
public sealed class PackageFeed : IDisposable
{
    /// <summary>The three package ids <c>dotnet pack FastLaDeDa.sln</c> makes.</summary>
    public static readonly string[] PackageIds = ["FastLaDeDa", "FastLaDeDa.Gpu", "FastLaDeDa.Cli"];

    private static readonly string[] Projects = ["src/FastLaDeDa/FastLaDeDa.csproj", "src/FastLaDeDa.Gpu/FastLaDeDa.Gpu.csproj", "src/FastLaDeDa.Cli/FastLaDeDa.Cli.csproj"];

    public PackageFeed()
    {
        RepoRoot = SharedData.RepoRoot;
        Configuration = typeof(PackageFeed).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Release";
        Version = ReadVersionPrefix(Path.Combine(RepoRoot, "Directory.Build.props"));
        RunDir = Path.Combine(RepoRoot, "artifacts", "packaging-tests", $"run-{Environment.ProcessId}-{DateTime.UtcNow:yyyyMMddHHmmss}");
        FeedDir = Path.Combine(RunDir, "feed");
        PackagesDir = Path.Combine(RunDir, "nuget-packages");
        Directory.CreateDirectory(FeedDir);
        Directory.CreateDirectory(PackagesDir);
        CliDll = Path.Combine(RepoRoot, "src", "FastLaDeDa.Cli", "bin", Configuration, "net10.0", "FastLaDeDa.Cli.dll");

        // Packages already downloaded (the dependencies) are read from the user's folder, unless it
        // holds one of ours at this version: a stale copy there would be taken instead of the feed's.
        string userPackages = Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } env
            ? env : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        bool stale = PackageIds.Any(id => Directory.Exists(Path.Combine(userPackages, id.ToLowerInvariant(), Version)));
        FallbackNote = !Directory.Exists(userPackages) ? $"no fallback packages folder ({userPackages} absent): dependencies come from the sources"
            : stale ? $"{userPackages} holds a FastLaDeDa package at {Version}; not used as a fallback folder (dependencies are downloaded again)"
            : $"fallback packages folder: {userPackages}";
        FallbackFolder = Directory.Exists(userPackages) && !stale ? userPackages : null;

        // A folder feed on top of the machine's usual sources (no <clear/>): the dependencies come from those.
        File.WriteAllText(Path.Combine(RunDir, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <add key="fastladeda-packaging-test" value="{FeedDir}" />
              </packageSources>
            </configuration>
            """);

        var clock = Stopwatch.StartNew();
        Pack();
        PackTime = clock.Elapsed;
        GeneratedImage = Path.Combine(RunDir, "generated-97x61.bmp");
        File.WriteAllBytes(GeneratedImage, TestImages.Bmp24(97, 61));
        _cliLogits = new(ReferenceLogits);
    }

    public string RepoRoot { get; }
    public string Configuration { get; }
    /// <summary>The packages' version (Directory.Build.props' VersionPrefix).</summary>
    public string Version { get; }
    public string RunDir { get; }
    public string FeedDir { get; }
    /// <summary>The private NUGET_PACKAGES folder of every restore the tests run.</summary>
    public string PackagesDir { get; }
    public string? FallbackFolder { get; }
    public string FallbackNote { get; }
    /// <summary>The repository's own CLI as built (the reference the packages are compared with).</summary>
    public string CliDll { get; }
    public TimeSpan PackTime { get; }
    public string PackNote { get; private set; } = "";

    /// <summary>The environment of every restore: the private packages folder and the fallback.</summary>
    public IReadOnlyDictionary<string, string?> RestoreEnvironment => new Dictionary<string, string?>
    {
        ["NUGET_PACKAGES"] = PackagesDir,
        ["NUGET_FALLBACK_PACKAGES"] = FallbackFolder,
    };

    public string PackagePath(string id) => Path.Combine(FeedDir, $"{id}.{Version}.nupkg");

    private void Pack()
    {
        // .ci/run and `dotnet test` (this project references the three) build them first: pack
        // those outputs. Without them (another configuration's test build, say) pack builds.
        bool built = Projects.All(p =>
        {
            string dir = Path.Combine(RepoRoot, Path.GetDirectoryName(p)!, "bin", Configuration, "net10.0");
            return File.Exists(Path.Combine(dir, Path.GetFileNameWithoutExtension(p) + ".dll"));
        });
        PackNote = built ? $"packed the {Configuration} build outputs (--no-build)" : $"no {Configuration} build outputs: pack builds";
        // One pack for the three projects: a solution filter of FastLaDeDa.sln.
        string filter = Path.Combine(RunDir, "packages.slnf");
        File.WriteAllText(filter, JsonSerializer.Serialize(new
        {
            solution = new { path = Path.Combine(RepoRoot, "FastLaDeDa.sln"), projects = Projects.Select(p => p.Replace('/', '\\')).ToArray() },
        }));
        List<string> args = ["pack", filter, "-c", Configuration, "-o", FeedDir, "--disable-build-servers", "-nodeReuse:false"];
        if (built) args.Add("--no-build");
        Dotnet.RunChecked(args, RepoRoot, timeout: TimeSpan.FromMinutes(4));
    }

    /// <summary>A 24-bit BMP written by the test (no shared data needed).</summary>
    public string GeneratedImage { get; }

    /// <summary>A golden image from ../shared, or null when the shared folder is absent.</summary>
    public static string? GoldenImage =>
        SharedData.TryRoot is { } root && File.Exists(Path.Combine(root, "golden", "images", "real_food_jpg800.jpg"))
            ? Path.Combine(root, "golden", "images", "real_food_jpg800.jpg") : null;

    /// <summary>The images every test scores: the generated one, and the golden one when present.</summary>
    public IReadOnlyList<string> Images => GoldenImage is { } g ? [GeneratedImage, g] : [GeneratedImage];

    private readonly Lazy<IReadOnlyDictionary<string, string>> _cliLogits;

    /// <summary>The repository's CLI's logit of each image, as its JSON writes it.</summary>
    public IReadOnlyDictionary<string, string> CliLogits => _cliLogits.Value;

    private Dictionary<string, string> ReferenceLogits()
    {
        Assert.True(File.Exists(CliDll), $"{CliDll} not found: build src/FastLaDeDa.Cli in {Configuration} first");
        var r = Dotnet.RunChecked(["exec", CliDll, "detect", "--json", .. Images], RepoRoot);
        return ParseJsonLogits(r);
    }

    /// <summary>path → the raw JSON text of its logit, from <c>detect --json</c>'s output.</summary>
    public static Dictionary<string, string> ParseJsonLogits(ProcessResult r)
    {
        var result = new Dictionary<string, string>();
        try
        {
            using var doc = JsonDocument.Parse(r.StdOut);
            foreach (var item in doc.RootElement.EnumerateArray())
            {
                Assert.False(item.TryGetProperty("error", out var error), $"detect failed on {item.GetProperty("path")}: {error}\n{r.Describe()}");
                result[item.GetProperty("path").GetString()!] = item.GetProperty("logit").GetRawText();
            }
        }
        catch (JsonException e)
        {
            Assert.Fail($"detect --json printed no JSON array ({e.Message})\n{r.Describe()}");
        }
        return result;
    }

    private static string ReadVersionPrefix(string propsPath)
    {
        string? v = XDocument.Load(propsPath).Descendants().FirstOrDefault(e => e.Name.LocalName == "VersionPrefix")?.Value.Trim();
        Assert.False(string.IsNullOrEmpty(v), $"no VersionPrefix in {propsPath}");
        return v!;
    }

    public void Dispose()
    {
        if (Environment.GetEnvironmentVariable("FASTLADEDA_KEEP_PACKAGING_TEST") == "1") return;
        try { Directory.Delete(RunDir, recursive: true); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }
}
