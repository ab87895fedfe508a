using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using FastLaDeDa.Tests.Support;

namespace FastLaDeDa.Tests.Cli;

/// <summary>One <c>fastladeda serve</c> (embedded weights, a 4 MB body limit) shared by the tests that need no special settings.</summary>
public sealed class ServeFixture : IDisposable
{
    public const int MaxBody = 4_000_000;

    internal ServeProcess Server { get; } = ServeProcess.Start("--max-body", MaxBody.ToString(System.Globalization.CultureInfo.InvariantCulture));

    public void Dispose() => Server.Dispose();
}

/// <summary>
/// <c>fastladeda serve</c> as a client sees it: the real server in a child process on a free
/// loopback port, scores checked against <c>detect --json</c> on the same files, the refusals
/// (413, 4xx with the CLI's causes, 429, 401), start-up errors, and a clean stop on SIGTERM.
/// </summary>
public sealed class ServeCommandTests(ServeFixture fixture) : IClassFixture<ServeFixture>
{
    private ServeProcess Server => fixture.Server;

    /// <summary>A small RGB PNG that needs no ../shared.</summary>
    private static byte[] GradientPng() => TestPngWriter.Encode(300, 200, 8, 2, (x, y, c) => (x * 3 + y * 5 + c * 70) % 256);

    /// <summary><c>detect --json</c>'s logit for each file, by path.</summary>
    private static Dictionary<string, double> CliLogits(params string[] paths)
    {
        var r = CliRunner.Run(["detect", "--json", .. paths]);
        Assert.True(r.ExitCode == 0, r.StdErr);
        using var doc = JsonDocument.Parse(r.StdOut);
        return doc.RootElement.EnumerateArray().ToDictionary(e => e.GetProperty("path").GetString()!, e => e.GetProperty("logit").GetDouble());
    }

    /// <summary>The cause after "NAME: " in a one-line error.</summary>
    private static string Cause(string line, string name) => line[(line.IndexOf(name + ": ", StringComparison.Ordinal) + name.Length + 2)..].Trim();

    private static JsonElement ParseBody(string body)
    {
        Assert.DoesNotContain("   at ", body); // never a stack trace
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    private static async Task<(HttpStatusCode Status, JsonElement Body)> PostAsync(HttpClient client, HttpContent content, string query = "")
    {
        using var response = await client.PostAsync("/v1/detect" + query, content);
        return (response.StatusCode, ParseBody(await response.Content.ReadAsStringAsync()));
    }

    [SkippableFact]
    public async Task Golden_images_score_as_detect_json_does()
    {
        string[] paths = [.. GoldenImages.Png.Concat(GoldenImages.Jpeg).Select(GoldenImages.PathOf)];
        var expected = CliLogits(paths);
        using var form = new MultipartFormDataContent();
        foreach (string path in paths) form.Add(new ByteArrayContent(File.ReadAllBytes(path)), "image", Path.GetFileName(path));
        var (status, body) = await PostAsync(Server.Client, form);
        Assert.Equal(HttpStatusCode.OK, status);
        var results = body.GetProperty("results").EnumerateArray().ToArray();
        Assert.Equal(paths.Length, results.Length);
        for (int i = 0; i < paths.Length; i++)
        {
            Assert.Equal(Path.GetFileName(paths[i]), results[i].GetProperty("name").GetString());
            Assert.Equal(expected[paths[i]], results[i].GetProperty("logit").GetDouble(), 1e-5);
            double p = results[i].GetProperty("probability").GetDouble(), threshold = results[i].GetProperty("threshold").GetDouble();
            Assert.Equal(p > threshold ? "fake" : "real", results[i].GetProperty("label").GetString());
        }

        // The raw body, with the patch map.
        var (rawStatus, raw) = await PostAsync(Server.Client, new ByteArrayContent(File.ReadAllBytes(paths[0])), "?map=true&name=../../etc/passwd");
        Assert.Equal(HttpStatusCode.OK, rawStatus);
        var single = raw.GetProperty("results")[0];
        Assert.Equal("passwd", single.GetProperty("name").GetString()); // a client's name is never a path
        Assert.Equal(expected[paths[0]], single.GetProperty("logit").GetDouble(), 1e-5);
        var map = single.GetProperty("map");
        Assert.Equal(map.GetProperty("width").GetInt32() * map.GetProperty("height").GetInt32(), map.GetProperty("logits").GetArrayLength());
    }

    [SkippableFact]
    public async Task Body_over_the_limit_is_413_before_it_is_read()
    {
        // Declared larger than --max-body, 10 bytes sent: the answer comes without the rest.
        var body = new byte[ServeFixture.MaxBody + 1];
        using (var socket = Server.StartSlowUpload(body, 10))
        {
            var (status, text) = ServeProcess.ReadResponse(socket);
            Assert.Equal(413, status);
            Assert.Contains($"over the limit of {ServeFixture.MaxBody} bytes", ParseBody(text).GetProperty("error").GetString());
        }
        // Chunked (no declared length): refused as it grows past the limit.
        using var chunked = new StreamContent(new MemoryStream(body));
        chunked.Headers.ContentLength = null;
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/detect") { Content = chunked };
        request.Headers.TransferEncodingChunked = true;
        using var response = await Server.Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }

    [SkippableFact]
    public async Task Bad_uploads_get_4xx_with_the_clis_one_line_cause()
    {
        using var temp = new TempDirectory();
        byte[] png = GradientPng();
        var cases = new (string Name, byte[] Bytes, HttpStatusCode Status)[]
        {
            ("not-an-image.bin", "hello, not an image"u8.ToArray(), HttpStatusCode.UnsupportedMediaType),
            ("empty.png", [], HttpStatusCode.BadRequest),
            ("truncated.png", png[..(png.Length / 2)], HttpStatusCode.BadRequest),
            ("huge.png", TestPngWriter.Assemble([TestPngWriter.Chunk("IHDR", TestPngWriter.Header(20000, 20000, 8, 2)), TestPngWriter.Chunk("IDAT", TestPngWriter.Compress(new byte[64])), TestPngWriter.Chunk("IEND", [])]), HttpStatusCode.UnprocessableEntity),
        };
        foreach (var (name, bytes, expectedStatus) in cases)
        {
            string path = temp.Write(name, bytes);
            var cli = CliRunner.Run("detect", path);
            Assert.Equal(1, cli.ExitCode);
            var (status, body) = await PostAsync(Server.Client, new ByteArrayContent(bytes), "?name=" + name);
            Assert.True(expectedStatus == status, $"{name}: {status} {body}");
            string error = body.GetProperty("error").GetString()!;
            Assert.StartsWith(name + ": ", error);
            Assert.Equal(Cause(cli.ErrorLines.Single(l => !l.StartsWith("note: ", StringComparison.Ordinal)), path), Cause(error, name));
        }
    }

    [SkippableFact]
    public async Task A_full_queue_answers_429_with_retry_after_and_readiness_fails()
    {
        using var server = ServeProcess.Start("--workers", "1", "--max-queue", "1");
        byte[] png = GradientPng();
        // An upload in flight holds the only slot while it is read.
        var slow = server.StartSlowUpload(png, png.Length / 2);
        await WaitUntil(async () => (await server.Client.GetAsync("/readyz")).StatusCode == HttpStatusCode.ServiceUnavailable);
        using (var response = await server.Client.PostAsync("/v1/detect", new ByteArrayContent(png)))
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
            Assert.Equal(TimeSpan.FromSeconds(1), response.Headers.RetryAfter?.Delta);
            Assert.Contains("queue is full", ParseBody(await response.Content.ReadAsStringAsync()).GetProperty("error").GetString());
        }
        ServeProcess.FinishSlowUpload(slow, png, png.Length / 2);
        Assert.Equal(200, ServeProcess.ReadResponse(slow).Status);
        Assert.Equal(HttpStatusCode.OK, (await server.Client.GetAsync("/readyz")).StatusCode);
        string metrics = await server.Client.GetStringAsync("/metrics");
        Assert.Contains("fastladeda_rejections_total{reason=\"queue_full\"} 1", metrics);
    }

    [SkippableFact]
    public async Task A_request_past_its_timeout_is_503_and_frees_its_slot()
    {
        using var server = ServeProcess.Start("--timeout", "1", "--max-queue", "1");
        byte[] png = GradientPng();
        var stalled = server.StartSlowUpload(png, 100); // never finished
        var (status, body) = ServeProcess.ReadResponse(stalled);
        Assert.Equal(503, status);
        Assert.Contains("not answered within 1 s", ParseBody(body).GetProperty("error").GetString());
        // The slot it held is free again.
        using var response = await server.Client.PostAsync("/v1/detect", new ByteArrayContent(png));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("fastladeda_rejections_total{reason=\"timeout\"} 1", await server.Client.GetStringAsync("/metrics"));
    }

    [SkippableFact]
    public async Task A_client_that_goes_away_frees_its_slot()
    {
        using var server = ServeProcess.Start("--max-queue", "1");
        byte[] png = GradientPng();
        var gone = server.StartSlowUpload(png, 100);
        await WaitUntil(async () => (await server.Client.GetAsync("/readyz")).StatusCode == HttpStatusCode.ServiceUnavailable);
        gone.Close(); // hangs up mid-upload
        await WaitUntil(async () => (await server.Client.GetAsync("/readyz")).StatusCode == HttpStatusCode.OK);
        using var response = await server.Client.PostAsync("/v1/detect", new ByteArrayContent(png));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        // The slot is freed before the hang-up is counted (the abort unwinds the request after), so wait for the count.
        await WaitUntil(async () => (await server.Client.GetStringAsync("/metrics")).Contains("fastladeda_rejections_total{reason=\"client_gone\"} 1"));
    }

    [SkippableFact]
    public async Task Sigterm_answers_the_request_in_flight_then_exits_0()
    {
        using var temp = new TempDirectory();
        byte[] png = GradientPng();
        double expected = CliLogits(temp.Write("gradient.png", png)).Values.Single();
        using var server = ServeProcess.Start();
        var slow = server.StartSlowUpload(png, png.Length / 2);
        await WaitUntil(async () => (await server.Client.GetStringAsync("/metrics")).Contains("fastladeda_queue_depth 1"));
        server.Terminate();
        await Task.Delay(300);
        Assert.Null(server.WaitForExit(TimeSpan.Zero)); // still draining
        ServeProcess.FinishSlowUpload(slow, png, png.Length / 2);
        var (status, body) = ServeProcess.ReadResponse(slow);
        Assert.Equal(200, status);
        Assert.Equal(expected, ParseBody(body).GetProperty("results")[0].GetProperty("logit").GetDouble(), 1e-5);
        Assert.Equal(0, server.WaitForExit(TimeSpan.FromSeconds(30)));
        Assert.Contains("queue drained", server.Output);
    }

    [SkippableFact]
    public async Task An_api_key_guards_v1_and_a_public_bind_requires_one()
    {
        var open = CliRunner.Run("serve", "--urls", "http://0.0.0.0:1");
        Assert.Equal(2, open.ExitCode);
        Assert.Contains("--api-key-file", Assert.Single(open.ErrorLines));

        using var temp = new TempDirectory();
        string keyFile = temp.Write("key", "s3cret-key\n"u8.ToArray());
        using var server = ServeProcess.Start("--api-key-file", keyFile);
        Assert.Equal(HttpStatusCode.Unauthorized, (await server.Client.PostAsync("/v1/detect", new ByteArrayContent(GradientPng()))).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await server.Client.GetAsync("/v1/models")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await server.Client.GetAsync("/healthz")).StatusCode);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/detect") { Content = new ByteArrayContent(GradientPng()) };
        request.Headers.Add("X-Api-Key", "s3cret-key");
        Assert.Equal(HttpStatusCode.OK, (await server.Client.SendAsync(request)).StatusCode);
    }

    [SkippableFact]
    public void Weights_that_fail_at_start_up_exit_2_with_the_clis_message()
    {
        using var temp = new TempDirectory();
        string weights = temp.Write("broken.safetensors", "not weights"u8.ToArray());
        var detect = CliRunner.Run("detect", "--weights", weights, temp.Write("x.png", GradientPng()));
        var serve = CliRunner.Run("serve", "--weights", weights, "--port", "1");
        Assert.Equal(2, serve.ExitCode);
        Assert.Equal(detect.ErrorLines.Single(), serve.ErrorLines.Single());
    }

    [SkippableFact]
    public async Task Models_health_and_metrics_answer()
    {
        using var models = JsonDocument.Parse(await Server.Client.GetStringAsync("/v1/models"));
        Assert.Equal("tiny_ladeda", models.RootElement.GetProperty("models")[0].GetProperty("name").GetString());
        using (var embedded = FastLaDeDa.Detection.Detector.LoadDefault())
        {
            Assert.Equal(embedded.Threshold, models.RootElement.GetProperty("models")[0].GetProperty("threshold").GetDouble());
            Assert.Equal(embedded.Temperature, models.RootElement.GetProperty("models")[0].GetProperty("temperature").GetDouble());
        }
        Assert.Equal("ok\n", await Server.Client.GetStringAsync("/healthz"));
        Assert.Equal("ready\n", await Server.Client.GetStringAsync("/readyz"));
        string metrics = await Server.Client.GetStringAsync("/metrics");
        foreach (string name in new[] { "fastladeda_queue_depth", "fastladeda_stage_seconds", "fastladeda_batch_size", "fastladeda_rejections_total", "http_requests_received_total" })
            Assert.Contains(name, metrics);
    }

    private static async Task WaitUntil(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "condition not reached within 20 s");
            await Task.Delay(50);
        }
    }
}
