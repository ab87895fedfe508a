namespace FastLaDeDa.Training.Data;

/// <summary>
/// The git mirrors under one folder, found by <c>OWNER/NAME</c> in any of the layouts
/// <c>DIR/OWNER+NAME/repo</c> (a fetched mirror), <c>DIR/OWNER+NAME</c>, <c>DIR/OWNER/NAME.git</c> and
/// <c>DIR/OWNER/NAME</c> — bare, or a work tree whose <c>.git</c> is used. Files are read with one
/// <see cref="GitCatFileBatch"/> per repository; safe to call from several threads.
/// </summary>
internal sealed class GitMirrorSet : IDisposable
{
    private readonly Dictionary<string, (GitCatFileBatch? Batch, object Gate)> _open = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>A set rooted at <paramref name="root"/>, which must exist.</summary>
    public GitMirrorSet(string root)
    {
        ArgumentNullException.ThrowIfNull(root);
        if (!Directory.Exists(root)) throw new DatasetException($"{root}: mirrors folder not found");
        Root = root;
    }

    /// <summary>The folder searched.</summary>
    public string Root { get; }

    /// <summary>The git directory of <paramref name="repo"/> (<c>OWNER/NAME</c>), or null when no layout holds one.</summary>
    public string? Find(string repo)
    {
        ArgumentNullException.ThrowIfNull(repo);
        string[] parts = repo.Split('/');
        if (parts.Length != 2) return null;
        string flat = parts[0] + "+" + parts[1];
        foreach (string candidate in new[]
                 {
                     Path.Combine(Root, flat, "repo"), Path.Combine(Root, flat),
                     Path.Combine(Root, parts[0], parts[1] + ".git"), Path.Combine(Root, parts[0], parts[1]),
                 })
        {
            if (IsGitDir(candidate)) return Path.GetFullPath(candidate);
            if (IsGitDir(Path.Combine(candidate, ".git"))) return Path.GetFullPath(Path.Combine(candidate, ".git"));
        }
        return null;
    }

    /// <summary>
    /// The bytes of <paramref name="path"/> at <paramref name="commit"/> in <paramref name="repo"/>.
    /// A missing mirror, commit or path (or a path naming a folder) is a <see cref="DatasetException"/>
    /// naming the source, repository, commit and path.
    /// </summary>
    public byte[] ReadFile(string source, string repo, string commit, string path)
    {
        string where = $"{source}: {repo}@{commit}:{path}";
        var (batch, gate) = Open(repo);
        if (batch is null)
            throw new DatasetException($"{where}: no mirror of {repo} under {Root} (looked for {repo.Replace('/', '+')}/repo, {repo.Replace('/', '+')}, {repo}.git, {repo}; get one with git clone --mirror https://github.com/{repo})");
        lock (gate)
        {
            var blob = batch.Read($"{commit}:{path}");
            if (blob is { Type: "blob" } found) return found.Bytes;
            if (blob is { } other) throw new DatasetException($"{where}: is a {other.Type}, not a file (mirror {batch.GitDir})");
            // Tell a commit the mirror lacks (stale mirror) from a path the commit lacks (wrong manifest).
            bool hasCommit = batch.Read(commit + "^{commit}") is not null;
            throw new DatasetException(hasCommit
                ? $"{where}: path not in that commit (mirror {batch.GitDir})"
                : $"{where}: commit not in the mirror {batch.GitDir} (fetch it, or the manifest names the wrong commit)");
        }
    }

    private (GitCatFileBatch? Batch, object Gate) Open(string repo)
    {
        lock (_open)
        {
            if (!_open.TryGetValue(repo, out var entry))
            {
                string? dir = Find(repo);
                entry = (dir is null ? null : new GitCatFileBatch(dir), new object());
                _open[repo] = entry;
            }
            return entry;
        }
    }

    private static bool IsGitDir(string dir) =>
        Directory.Exists(Path.Combine(dir, "objects")) && File.Exists(Path.Combine(dir, "HEAD"));

    /// <summary>Ends every git process.</summary>
    public void Dispose()
    {
        lock (_open)
        {
            foreach (var (batch, _) in _open.Values) batch?.Dispose();
            _open.Clear();
        }
    }
}
