using System.Diagnostics;
using System.Globalization;
using FastLaDeDa.Detection;
using FastLaDeDa.Errors;
using FastLaDeDa.Imaging;
using FastLaDeDa.Models;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace FastLaDeDa.Cli.Serving;

/// <summary>
/// <c>POST /v1/detect</c>: reads each upload into a pooled buffer after taking a queue slot for it
/// (429 when there is none), queues it for the workers, and answers when all are scored, the
/// request times out (503) or the client goes away (its queued images are then skipped).
/// </summary>
internal sealed class DetectEndpoint(Detector detector, ScoringQueue queue, ServeSettings settings, ILogger log, CancellationToken stopping)
{
    // One image may be as large as the whole body, and never larger than the detector allows.
    private readonly ImageLimits _readLimits = detector.Options.ImageLimits with
    {
        MaxFileBytes = Math.Min(settings.MaxBodyBytes, detector.Options.ImageLimits.MaxFileBytes),
    };

    private readonly string _model = ModelMetadata.ModelName(detector.Metadata.Model);

    /// <summary>Handles one request.</summary>
    public async Task HandleAsync(HttpContext context)
    {
        long start = Stopwatch.GetTimestamp();
        int status = await RespondAsync(context, start);
        log.LogInformation("detect {Status} in {ElapsedMs:F1} ms", status, Stopwatch.GetElapsedTime(start).TotalMilliseconds);
    }

    private async Task<int> RespondAsync(HttpContext context, long start)
    {
        if (stopping.IsCancellationRequested)
            return await Refuse(context, StatusCodes.Status503ServiceUnavailable, RejectionReason.Stopping, "the service is stopping");
        // Refused on its declared length, before a byte of it is read.
        if (context.Request.ContentLength is long declared && ImageLimitGuard.FileSizeError(declared, _readLimits with { MaxFileBytes = settings.MaxBodyBytes }, "request body") is { } tooLarge)
            return await Refuse(context, StatusCodes.Status413PayloadTooLarge, RejectionReason.TooLarge, ErrorReporter.Describe(tooLarge, null));

        bool includeMap = context.Request.Query["map"].ToString() is "true" or "1";
        using var timeout = new CancellationTokenSource(settings.RequestTimeout);
        using var request = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, timeout.Token);
        var jobs = new List<ScoringJob>();
        TimeSpan reading = TimeSpan.Zero;
        try
        {
            await foreach (Upload upload in UploadParts.ReadAsync(context.Request, request.Token))
            {
                if (jobs.Count == settings.MaxQueue)
                    return await Refuse(context, StatusCodes.Status413PayloadTooLarge, RejectionReason.TooLarge, $"more than {settings.MaxQueue} images in one request (--max-queue)");
                if (!queue.TryAdmit())
                    return await Refuse(context, StatusCodes.Status429TooManyRequests, RejectionReason.QueueFull, $"the queue is full ({settings.MaxQueue} images); retry after {ErrorResponses.RetryAfterSeconds} s");
                long readStart = Stopwatch.GetTimestamp();
                PooledFile file;
                try
                {
                    file = await PooledFile.ReadAsync(upload.Body, _readLimits, upload.Name, request.Token, upload.DeclaredLength);
                }
                catch
                {
                    queue.Release();
                    throw;
                }
                TimeSpan read = Stopwatch.GetElapsedTime(readStart);
                reading += read;
                ServiceMetrics.Stage("read", read);
                var job = new ScoringJob(file, upload.Name, includeMap, request.Token);
                jobs.Add(job);
                queue.Submit(job);
            }
            if (jobs.Count == 0)
                return await Refuse(context, StatusCodes.Status400BadRequest, RejectionReason.BadImage, "the multipart body holds no image");
            try
            {
                await Task.WhenAll(jobs.Select(j => j.Completion)).WaitAsync(request.Token);
            }
            catch (Exception) when (!request.IsCancellationRequested)
            {
                // An image was refused: each job's outcome is read below.
            }
            return await WriteResults(context, jobs, reading, start);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !context.RequestAborted.IsCancellationRequested)
        {
            return await Refuse(context, StatusCodes.Status503ServiceUnavailable, RejectionReason.Timeout,
                $"not answered within {settings.RequestTimeout.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s; retry later");
        }
        catch (Exception ex) when (context.RequestAborted.IsCancellationRequested && ex is OperationCanceledException or IOException)
        {
            ServiceMetrics.Rejected(RejectionReason.ClientGone);
            return 499; // nginx's "client closed request": nothing is sent, the number is for the log
        }
        catch (BadHttpRequestException ex) when (ex.Message.StartsWith("Unexpected end of request content", StringComparison.Ordinal))
        {
            // Kestrel reports a client that hung up mid-body this way, sometimes before RequestAborted is
            // signalled (CI saw the race): nobody is left to read a 400, so it counts as a client gone.
            ServiceMetrics.Rejected(RejectionReason.ClientGone);
            return 499;
        }
        catch (ImageLimitExceededException ex)
        {
            return await Refuse(context, StatusCodes.Status413PayloadTooLarge, RejectionReason.TooLarge, ErrorReporter.Describe(ex, null));
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            // A chunked body (no declared length) that grew past Kestrel's limit.
            return await Refuse(context, ex.StatusCode, RejectionReason.TooLarge, $"request body: over the limit of {settings.MaxBodyBytes} bytes");
        }
        catch (BadHttpRequestException ex)
        {
            return await Refuse(context, ex.StatusCode, RejectionReason.BadImage, "bad request: " + ex.Message);
        }
        catch (InvalidDataException ex)
        {
            return await Refuse(context, StatusCodes.Status400BadRequest, RejectionReason.BadImage, "malformed multipart body: " + ex.Message);
        }
        finally
        {
            // Whatever was answered, queued images nobody waits for any more are skipped by the workers.
            if (jobs.Any(j => !j.Completion.IsCompleted)) await request.CancelAsync();
        }
    }

    private async Task<int> WriteResults(HttpContext context, List<ScoringJob> jobs, TimeSpan reading, long start)
    {
        var results = new List<ImageResult>(jobs.Count);
        int status = StatusCodes.Status200OK;
        string? firstError = null;
        foreach (ScoringJob job in jobs)
        {
            if (job.Completion.IsCompletedSuccessfully)
            {
                results.Add(Describe(job.Name, job.Completion.Result));
                continue;
            }
            Exception error = job.Completion.Exception?.InnerException ?? new OperationCanceledException();
            int imageStatus = UploadErrors.Status(error);
            string message = UploadErrors.Message(error, job.Name);
            results.Add(new ImageResult(job.Name) { Error = message, Status = imageStatus });
            if (firstError is null)
            {
                (status, firstError) = (imageStatus, message);
                ServiceMetrics.Rejected(RejectionReason.BadImage);
            }
        }
        var timing = new RequestTiming(
            reading.TotalMilliseconds,
            jobs.Max(j => j.QueueTime).TotalMilliseconds,
            jobs.Sum(j => j.DecodeTime.TotalMilliseconds),
            jobs.Sum(j => j.ScoreTime.TotalMilliseconds),
            Stopwatch.GetElapsedTime(start).TotalMilliseconds);
        context.Response.StatusCode = status;
        await context.Response.WriteAsJsonAsync(new DetectResponse(results, timing, firstError), ServiceJson.Options);
        return status;
    }

    private ImageResult Describe(string name, DetectionResult result) => new(name)
    {
        Logit = result.Logit,
        Probability = result.Probability,
        Label = Commands.DetectCommand.Label(result.Label),
        Threshold = result.Threshold,
        Model = _model,
        Map = result.PatchMap is { } map ? new PatchMapBody(map.Width, map.Height, map.Stride, map.ReceptiveField, map.Logits) : null,
    };

    private static async Task<int> Refuse(HttpContext context, int status, RejectionReason reason, string message)
    {
        ServiceMetrics.Rejected(reason);
        await ErrorResponses.WriteAsync(context, status, message);
        return status;
    }
}
