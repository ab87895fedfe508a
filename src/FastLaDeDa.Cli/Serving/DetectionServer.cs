using FastLaDeDa.Detection;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Prometheus;

namespace FastLaDeDa.Cli.Serving;

/// <summary>
/// The HTTP service of <c>fastladeda serve</c>: Kestrel with minimal-API endpoints over one loaded
/// <see cref="Detector"/> and a <see cref="ScoringQueue"/>. Stateless: replicas scale behind any
/// HTTP load balancer.
/// </summary>
internal static class DetectionServer
{
    /// <summary>Logger category of the service's own lines.</summary>
    public const string LogCategory = "fastladeda.serve";

    /// <summary>
    /// Serves until SIGTERM or Ctrl+C, then drains: Kestrel stops accepting connections and lets
    /// the requests in flight finish (up to the request timeout), the workers finish what is queued,
    /// and the call returns 0.
    /// </summary>
    /// <exception cref="IOException">An address cannot be bound (in use, not this machine's).</exception>
    public static int Run(Detector detector, ServeSettings settings)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [], ContentRootPath = AppContext.BaseDirectory });
        // Structured logs: one JSON object per line on stdout, for any log collector.
        builder.Logging.ClearProviders();
        builder.Logging.AddJsonConsole(o => { o.UseUtcTimestamp = true; o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ"; });
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        builder.WebHost.UseUrls([.. settings.Urls]);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = settings.MaxBodyBytes;
        });
        // Time to drain on SIGTERM: any request in flight ends within its timeout.
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = settings.RequestTimeout + TimeSpan.FromSeconds(5));

        WebApplication app = builder.Build();
        ILogger log = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(LogCategory);
        var queue = new ScoringQueue(detector, settings, log);
        CancellationToken stopping = app.Lifetime.ApplicationStopping;

        app.UseHttpMetrics();
        if (settings.ApiKey is { } key)
        {
            var gate = new ApiKeyGate(key);
            app.Use(gate.InvokeAsync);
        }
        var detect = new DetectEndpoint(detector, queue, settings, log, stopping);
        app.MapPost("/v1/detect", detect.HandleAsync);
        var models = new { models = new[] { ModelDescription.Of(detector) } };
        app.MapGet("/v1/models", () => Results.Json(models, ServiceJson.Options));
        app.MapGet("/healthz", () => Results.Text("ok\n"));
        app.MapGet("/readyz", () => stopping.IsCancellationRequested ? Results.Text("stopping\n", statusCode: StatusCodes.Status503ServiceUnavailable)
            : queue.IsSaturated ? Results.Text("queue full\n", statusCode: StatusCodes.Status503ServiceUnavailable)
            : Results.Text("ready\n"));
        app.MapMetrics("/metrics");

        log.LogInformation("serving {Model} ({Engine}) on {Urls} with {Workers} worker(s), queue {MaxQueue}, body limit {MaxBody} bytes, API key {ApiKey}",
            ModelDescription.Of(detector).Name, detector.EngineName, string.Join(", ", settings.Urls), settings.Workers, settings.MaxQueue,
            settings.MaxBodyBytes, settings.ApiKey is null ? "off" : "required");
        // Not app.Run(): it disposes the host (and the log) before the queue has drained.
        app.Start();
        app.WaitForShutdown();
        queue.CompleteAndDrain();
        log.LogInformation("stopped: requests in flight answered, queue drained");
        ((IDisposable)app).Dispose();
        return ExitCodes.Success;
    }
}
