using System.CommandLine;
using FastLaDeDa.Cli.Serving;
using FastLaDeDa.Detection;

namespace FastLaDeDa.Cli.Commands;

/// <summary>
/// <c>fastladeda serve</c>: the detector as an HTTP service (see <see cref="DetectionServer"/>).
/// Loopback by default; a bind other machines can reach needs an API key, or <c>--no-api-key</c> said out loud.
/// </summary>
internal static class ServeCommand
{
    public static Command Create()
    {
        var urls = new Option<string[]>("--urls") { Description = $"Addresses to listen on, e.g. http://0.0.0.0:8080 (default http://127.0.0.1:{BindAddresses.DefaultPort}). Any address other than loopback needs --api-key-file or --no-api-key.", HelpName = "url", AllowMultipleArgumentsPerToken = true };
        var port = new Option<int?>("--port") { Description = $"Listen on 127.0.0.1 at this port (default {BindAddresses.DefaultPort}).", HelpName = "n" };
        var maxBatch = new Option<int>("--max-batch") { Description = "Images a worker takes from the queue at once (default 8).", HelpName = "n", DefaultValueFactory = _ => 8 };
        var maxQueue = new Option<int>("--max-queue") { Description = "Images held at once, queued or being uploaded (default 64); beyond it requests get 429 with Retry-After.", HelpName = "n", DefaultValueFactory = _ => 64 };
        var maxBody = new Option<long>("--max-body") { Description = "Largest request body in bytes (default 33554432, 32 MiB); larger ones get 413 before they are read.", HelpName = "bytes", DefaultValueFactory = _ => 32L * 1024 * 1024 };
        var timeout = new Option<double>("--timeout") { Description = "Seconds one request may take before it is answered 503 (default 30).", HelpName = "s", DefaultValueFactory = _ => 30 };
        var workers = new Option<int?>("--workers") { Description = "Scoring threads (default: one per core for Tiny-LaDeDa, one for LaDeDa).", HelpName = "n" };
        var apiKeyFile = new Option<string?>("--api-key-file") { Description = $"Require the key in this file (first line) in the {ApiKeyGate.HeaderName} header of /v1 requests.", HelpName = "file" };
        var noApiKey = new Option<bool>("--no-api-key") { Description = "Serve a non-loopback address without an API key (behind a gateway that authenticates)." };
        var model = new ModelOptions(labels: true);

        var command = new Command("serve", "Serve detection over HTTP: POST /v1/detect, GET /v1/models, /healthz, /readyz, /metrics.")
        {
            urls, port, maxBatch, maxQueue, maxBody, timeout, workers, apiKeyFile, noApiKey,
        };
        model.AddTo(command);
        command.Validators.Add(result =>
        {
            if (result.GetResult(urls) is not null && result.GetResult(port) is not null)
                result.AddError("--urls and --port both choose the address; give one");
            else if (result.GetValue(port) is { } p && p is < 1 or > 65535)
                result.AddError($"--port must be between 1 and 65535, got {p}");
            // Only options given are checked: a validator sees no defaults.
            else if (new[] { result.GetResult(maxBatch)?.GetValueOrDefault<int>(), result.GetResult(maxQueue)?.GetValueOrDefault<int>(), result.GetResult(workers)?.GetValueOrDefault<int?>() }.Any(n => n is < 1))
                result.AddError("--max-batch, --max-queue and --workers must be at least 1");
            else if (result.GetResult(maxBody)?.GetValueOrDefault<long>() is < 1)
                result.AddError("--max-body must be at least 1 byte");
            else if (result.GetResult(timeout)?.GetValueOrDefault<double>() is { } seconds && !(seconds > 0))
                result.AddError("--timeout must be a positive number of seconds");
            else if (result.GetResult(apiKeyFile) is not null && result.GetResult(noApiKey) is not null)
                result.AddError("--api-key-file and --no-api-key contradict each other; give one");
            else if (result.GetValue(urls)?.Select(BindAddresses.Problem).FirstOrDefault(p => p is not null) is { } problem)
                result.AddError(problem);
        });
        command.SetAction(parse =>
        {
            string[] addresses = parse.GetValue(urls) is { Length: > 0 } given ? given : [BindAddresses.Loopback(parse.GetValue(port) ?? BindAddresses.DefaultPort)];
            string? keyPath = parse.GetValue(apiKeyFile);
            string? key = null;
            if (keyPath is not null && !TryReadKey(keyPath, out key)) return ExitCodes.Fatal;
            if (key is null && !parse.GetValue(noApiKey) && addresses.FirstOrDefault(a => !BindAddresses.IsLoopback(a)) is { } open)
            {
                Console.Error.WriteLine($"error: serve: {open} is reachable from other machines; give --api-key-file FILE (or --no-api-key behind a gateway that authenticates)");
                return ExitCodes.Fatal;
            }
            using Detector? detector = model.Load(parse, out int exitCode);
            if (detector is null) return exitCode;
            var settings = new ServeSettings
            {
                Urls = addresses,
                Workers = parse.GetValue(workers) ?? ScoringWorkers.For(detector),
                MaxBatch = parse.GetValue(maxBatch),
                MaxQueue = parse.GetValue(maxQueue),
                MaxBodyBytes = parse.GetValue(maxBody),
                RequestTimeout = TimeSpan.FromSeconds(parse.GetValue(timeout)),
                ApiKey = key,
            };
            try
            {
                return DetectionServer.Run(detector, settings);
            }
            catch (IOException ex) // an address in use or not this machine's
            {
                Console.Error.WriteLine($"error: serve: cannot listen on {string.Join(", ", addresses)}: {ex.Message}");
                return ExitCodes.Fatal;
            }
        });
        return command;
    }

    /// <summary>Reads the key (the file's first line, trimmed); prints one error line and returns false when there is none.</summary>
    private static bool TryReadKey(string path, out string? key)
    {
        key = null;
        try
        {
            key = File.ReadLines(path).FirstOrDefault()?.Trim();
        }
        catch (Exception ex) when (ErrorReporter.IsExpected(ex))
        {
            ErrorReporter.Print(ex, path);
            return false;
        }
        if (string.IsNullOrEmpty(key))
        {
            Console.Error.WriteLine($"error: {path}: the API key file is empty");
            return false;
        }
        return true;
    }
}
