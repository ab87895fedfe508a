using System.Collections.Concurrent;
using FastLaDeDa.Detection;
using FastLaDeDa.Errors;
using FastLaDeDa.Imaging;
using FastLaDeDa.Tests.Support;

namespace FastLaDeDa.Tests.Detection;

/// <summary>
/// The calls for servers: <see cref="Detector.TryScore"/> (bad uploads without a thrown exception
/// reaching the caller), <see cref="Detector.ScoreAsync(Stream, string?, bool, CancellationToken)"/>
/// (bounded, cancellable reads) and <see cref="Detector.ScoreFiles"/> (ordered, bounded, errors as entries).
/// </summary>
public class DetectorServingTests
{
    private static byte[] Png(int width, int height, int seed)
    {
        Rgb24Image image = RandomImages.Rgb(width, height, seed);
        return TestPngWriter.Encode(width, height, 8, 2, (x, y, c) => image.Pixels[(y * width + x) * 3 + c]);
    }

    private static byte[] Bmp(int width, int height, int seed) => BmpWriter.Encode(width, height, RandomImages.Rgb(width, height, seed).Pixels);

    // ---- TryScore ----

    [Fact]
    public void TryScore_reports_bad_images_as_typed_errors_and_scores_good_ones()
    {
        using var detector = Detector.FromStateDict(RandomTiny.StateDict(31));
        byte[] good = Png(40, 30, 1);
        var cases = new (string Name, byte[] Bytes, Type Error)[]
        {
            ("empty", [], typeof(ImageDecodeException)),
            ("corrupt", [.. TestPngWriter.Signature, .. Enumerable.Repeat((byte)0xA5, 64)], typeof(ImageDecodeException)),
            ("truncated", good[..(good.Length / 2)], typeof(ImageDecodeException)),
            ("unsupported", [(byte)'I', (byte)'I', 42, 0, 8, 0, 0, 0, 0, 0, 0, 0], typeof(UnsupportedImageFormatException)),
            ("unknown", [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12], typeof(UnsupportedImageFormatException)),
            ("too large", Png(300, 2, 2), typeof(ImageLimitExceededException)),
        };
        using var limited = Detector.FromStateDict(RandomTiny.StateDict(31), new DetectorOptions { ImageLimits = new ImageLimits { MaxDimension = 256 } });
        foreach (var (name, bytes, errorType) in cases)
        {
            Assert.False(limited.TryScore(bytes, out DetectionResult result, out FastLaDeDaException? error, name), name);
            Assert.Equal(default, result);
            Assert.NotNull(error);
            Assert.True(errorType.IsInstanceOfType(error), $"{name}: {error!.GetType().Name}");
            Assert.Equal(name, error!.FilePath);
        }

        using var small = Detector.FromStateDict(RandomTiny.StateDict(31), new DetectorOptions { ImageLimits = new ImageLimits { MaxFileBytes = 100 } });
        Assert.False(small.TryScore(good, out _, out var sizeError));
        Assert.IsType<ImageLimitExceededException>(sizeError);

        Assert.True(detector.TryScore(good, out DetectionResult scored, out var none, "good.png"));
        Assert.Null(none);
        Assert.Equal(detector.Score(good).Logit, scored.Logit);
        Assert.Equal(detector.Threshold, scored.Threshold);
    }

    [Fact]
    public void TryScore_refuses_empty_and_oversized_input_without_throwing_at_all()
    {
        using var detector = Detector.FromStateDict(RandomTiny.StateDict(32), new DetectorOptions { ImageLimits = new ImageLimits { MaxFileBytes = 10 } });
        Assert.False(detector.TryScore([], out _, out var empty));
        Assert.False(detector.TryScore(new byte[11], out _, out var big));
        Assert.IsType<ImageDecodeException>(empty);
        Assert.IsType<ImageLimitExceededException>(big);
        // Constructed and returned, never thrown (a thrown exception carries a stack trace).
        Assert.Null(empty!.StackTrace);
        Assert.Null(big!.StackTrace);
    }

    // ---- ScoreAsync ----

    /// <summary>A read-only stream that cannot seek, as an HTTP request body: what both test streams below share.</summary>
    private abstract class ForwardOnlyStream : Stream
    {
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }

    /// <summary>A stream that is not seekable and counts what was read from it; optionally endless.</summary>
    private sealed class CountingStream(byte[] data, bool endless = false) : ForwardOnlyStream
    {
        public long BytesRead;
        private int _position;
        public override int Read(byte[] buffer, int offset, int count)
        {
            int n = endless ? count : Math.Min(count, data.Length - _position);
            if (!endless) Array.Copy(data, _position, buffer, offset, n);
            _position += n;
            BytesRead += n;
            return n;
        }
    }

    /// <summary>A stream whose reads never complete until cancelled.</summary>
    private sealed class StalledStream : ForwardOnlyStream
    {
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
            return 0;
        }
    }

    [Fact]
    public async Task PooledFile_sizes_its_buffer_from_a_declared_length_but_trusts_only_the_stream()
    {
        byte[] data = [.. Enumerable.Range(0, 100_000).Select(i => (byte)i)];
        var limits = new ImageLimits { MaxFileBytes = 150_000 };
        foreach (long? declared in new long?[] { null, 0, 10, 100_000, 120_000, 10_000_000 })
        {
            using var file = await PooledFile.ReadAsync(new CountingStream(data), limits, "upload", CancellationToken.None, declared);
            Assert.True(data.AsSpan().SequenceEqual(file.Data), $"declared {declared}");
        }
        // A declared length under the limit does not let a longer stream through.
        var endless = new CountingStream([], endless: true);
        await Assert.ThrowsAsync<ImageLimitExceededException>(() => PooledFile.ReadAsync(endless, limits, "upload", CancellationToken.None, 1000));
        // Read until one byte over the limit, in pooled buffers (rounded up to a power of two): never far past it.
        Assert.InRange(endless.BytesRead, limits.MaxFileBytes + 1, 2 * (limits.MaxFileBytes + 1));
    }

    [Fact]
    public async Task ScoreAsync_reads_seekable_and_unseekable_streams_and_scores_as_Score()
    {
        using var detector = Detector.FromStateDict(RandomTiny.StateDict(33));
        byte[] png = Png(300, 200, 3);
        double expected = detector.Score(png).Logit;
        Assert.Equal(expected, (await detector.ScoreAsync(new MemoryStream(png))).Logit);
        Assert.Equal(expected, (await detector.ScoreAsync(new CountingStream(png))).Logit);
        // From the current position, not the start.
        var offset = new MemoryStream([9, 9, 9, .. png]) { Position = 3 };
        DetectionResult withMap = await detector.ScoreAsync(offset, "upload.png", includePatchMap: true);
        Assert.Equal(expected, withMap.Logit);
        Assert.NotNull(withMap.PatchMap);
        var ex = await Assert.ThrowsAnyAsync<ImageDecodeException>(() => detector.ScoreAsync(new MemoryStream([1, 2, 3]), "bad.bin"));
        Assert.Equal("bad.bin", ex.FilePath);
    }

    [Fact]
    public async Task ScoreAsync_refuses_streams_over_the_file_limit_without_reading_them_to_the_end()
    {
        var limits = new ImageLimits { MaxFileBytes = 100_000 };
        using var detector = Detector.FromStateDict(RandomTiny.StateDict(34), new DetectorOptions { ImageLimits = limits });
        // Seekable: refused from its length, before a byte is read.
        var seekable = new MemoryStream(new byte[100_001]);
        await Assert.ThrowsAsync<ImageLimitExceededException>(() => detector.ScoreAsync(seekable));
        Assert.Equal(0, seekable.Position);
        // Endless and unseekable: refused as soon as it passes the limit.
        var endless = new CountingStream([], endless: true);
        await Assert.ThrowsAsync<ImageLimitExceededException>(() => detector.ScoreAsync(endless, "endless"));
        Assert.InRange(endless.BytesRead, 100_001, 2 * 100_001);
        // Exactly at the limit is fine (it just is not an image).
        await Assert.ThrowsAsync<UnsupportedImageFormatException>(() => detector.ScoreAsync(new CountingStream(new byte[100_000])));
    }

    [Fact]
    public async Task ScoreAsync_honours_cancellation_while_reading()
    {
        using var detector = Detector.FromStateDict(RandomTiny.StateDict(35));
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => detector.ScoreAsync(new StalledStream(), cts.Token));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => detector.ScoreAsync(new MemoryStream(Png(20, 20, 4)), new CancellationToken(true)));
    }

    // ---- ScoreFiles ----

    [Fact]
    public void ScoreFiles_yields_every_file_in_input_order_with_bad_files_as_errors()
    {
        using var detector = Detector.FromStateDict(RandomTiny.StateDict(36));
        using var dir = new TempDirectory();
        var paths = new List<string>();
        for (int i = 0; i < 60; i++)
        {
            paths.Add(i switch
            {
                17 => dir.Write($"{i}.png", [.. TestPngWriter.Signature, 1, 2, 3]),
                30 => dir.File("missing.png"),
                41 => dir.Write($"{i}.bmp", []),
                _ when i % 2 == 0 => dir.Write($"{i}.png", Png(20 + i, 15 + i % 7, i)),
                _ => dir.Write($"{i}.bmp", Bmp(30 + i, 9 + i % 5, i)),
            });
        }
        var results = detector.ScoreFiles(paths, maxDegreeOfParallelism: 2).ToList();
        Assert.Equal(paths, results.Select(r => r.Path));
        for (int i = 0; i < paths.Count; i++)
        {
            FileDetection r = results[i];
            if (i is 17 or 30 or 41)
            {
                Assert.False(r.Succeeded);
                Assert.Null(r.Result);
                Assert.IsAssignableFrom<ImageDecodeException>(r.Error);
                Assert.Equal(paths[i], r.Error!.FilePath);
            }
            else
            {
                Assert.True(r.Succeeded, r.Error?.Message);
                Assert.Equal(detector.Score(paths[i]).Logit, r.Result!.Value.Logit);
            }
        }
        Assert.IsType<FileNotFoundException>(results[30].Error!.InnerException);
        Assert.Throws<ArgumentOutOfRangeException>(() => detector.ScoreFiles(paths, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => detector.ScoreFiles(paths, -2));
        Assert.Empty(detector.ScoreFiles([]));
    }

    /// <summary>Random per-file delays: the output order is still the input order, and every file is scored once.</summary>
    [Fact]
    public void Results_keep_input_order_whatever_order_files_finish_in()
    {
        var rng = new Random(7);
        int[] delays = Enumerable.Range(0, 80).Select(_ => rng.Next(0, 12)).ToArray();
        var scored = new ConcurrentDictionary<string, int>();
        var paths = Enumerable.Range(0, 80).Select(i => i.ToString()).ToList();
        var results = Detector.ScoreFilesInOrder(paths, 3, p =>
        {
            scored.AddOrUpdate(p, 1, (_, n) => n + 1);
            Thread.Sleep(delays[int.Parse(p)]);
            return new FileDetection(p, new DetectionResult(int.Parse(p)), null);
        }, default).ToList();
        Assert.Equal(paths, results.Select(r => r.Path));
        Assert.Equal(Enumerable.Range(0, 80).Select(i => (double)i), results.Select(r => r.Result!.Value.Logit));
        Assert.All(scored.Values, n => Assert.Equal(1, n));
    }

    /// <summary>
    /// A stuck first file: the rest must not pile up. While it blocks, no more than 2 × degree paths are
    /// taken from the (lazy) input and started, and never more than degree run at once; the public
    /// call enumerates its input at most that far ahead of the consumer.
    /// </summary>
    [Fact]
    public void The_window_of_files_in_flight_is_bounded()
    {
        const int degree = 2, window = 2 * degree;
        int pulled = 0, started = 0, running = 0, maxRunning = 0;
        IEnumerable<string> Paths()
        {
            for (int i = 0; i < 200; i++)
            {
                Interlocked.Increment(ref pulled);
                yield return i.ToString();
            }
        }
        using var release = new ManualResetEventSlim();
        FileDetection Score(string p)
        {
            Interlocked.Increment(ref started);
            int now = Interlocked.Increment(ref running);
            int seen;
            while ((seen = Volatile.Read(ref maxRunning)) < now && Interlocked.CompareExchange(ref maxRunning, now, seen) != seen) { }
            if (p == "0") release.Wait(TimeSpan.FromSeconds(30));
            else Thread.Sleep(1);
            Interlocked.Decrement(ref running);
            return new FileDetection(p, new DetectionResult(0), null);
        }
        using IEnumerator<FileDetection> results = Detector.ScoreFilesInOrder(Paths(), degree, Score, default).GetEnumerator();
        var first = Task.Run(results.MoveNext);
        int pulledWhileStuck, startedWhileStuck;
        try
        {
            SpinWait.SpinUntil(() => Volatile.Read(ref started) >= 1, TimeSpan.FromSeconds(10)); // a busy pool may start it late
            Thread.Sleep(500); // ample time for files 1.. to finish and, if unbounded, for hundreds more to start
            (pulledWhileStuck, startedWhileStuck) = (Volatile.Read(ref pulled), Volatile.Read(ref started));
        }
        finally
        {
            release.Set(); // never dispose the enumerator under a running MoveNext
            first.Wait();
        }
        Assert.InRange(pulledWhileStuck, 1, window);
        Assert.InRange(startedWhileStuck, 1, window);
        Assert.True(first.Result);
        int consumed = 1;
        while (results.MoveNext())
        {
            consumed++;
            Assert.True(Volatile.Read(ref pulled) - consumed <= window, $"pulled {pulled} with {consumed} consumed");
        }
        Assert.Equal(200, consumed);
        Assert.InRange(maxRunning, 1, degree);

        // The public call over real files: the lazy input runs at most a window ahead of the consumer.
        using var detector = Detector.FromStateDict(RandomTiny.StateDict(37));
        using var dir = new TempDirectory();
        string png = dir.Write("a.png", Png(64, 48, 5));
        int pulledFiles = 0, seenFiles = 0;
        IEnumerable<string> Files()
        {
            for (int i = 0; i < 40; i++) { Interlocked.Increment(ref pulledFiles); yield return png; }
        }
        foreach (FileDetection r in detector.ScoreFiles(Files(), degree))
        {
            seenFiles++;
            Assert.True(r.Succeeded);
            Assert.True(Volatile.Read(ref pulledFiles) - seenFiles <= window, $"pulled {pulledFiles} with {seenFiles} consumed");
        }
        Assert.Equal(40, seenFiles);
    }

    [Fact]
    public void Cancellation_stops_the_files_and_breaking_early_starts_no_more()
    {
        int started = 0;
        FileDetection Score(string p)
        {
            Interlocked.Increment(ref started);
            Thread.Sleep(5);
            return new FileDetection(p, new DetectionResult(0), null);
        }
        var paths = Enumerable.Range(0, 1000).Select(i => i.ToString());
        using var cts = new CancellationTokenSource();
        int seen = 0;
        Assert.ThrowsAny<OperationCanceledException>(() =>
        {
            foreach (var _ in Detector.ScoreFilesInOrder(paths, 2, Score, cts.Token))
                if (++seen == 10) cts.Cancel();
        });
        Assert.Equal(10, seen);
        Assert.InRange(Volatile.Read(ref started), 10, 10 + 4);

        started = 0;
        foreach (var _ in Detector.ScoreFilesInOrder(paths, 2, Score, default).Take(5)) { }
        int afterBreak = Volatile.Read(ref started);
        Thread.Sleep(100);
        Assert.Equal(afterBreak, Volatile.Read(ref started));
        Assert.InRange(afterBreak, 5, 5 + 4);

        // The public call with a token already cancelled.
        using var detector = Detector.FromStateDict(RandomTiny.StateDict(38));
        Assert.ThrowsAny<OperationCanceledException>(() => detector.ScoreFiles(["x.png"], 1, new CancellationToken(true)).ToList());
    }
}
