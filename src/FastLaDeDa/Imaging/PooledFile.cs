using System.Buffers;
using FastLaDeDa.Errors;

namespace FastLaDeDa.Imaging;

/// <summary>
/// A file's bytes in a buffer rented from the shared pool, so scoring many files does not allocate
/// a large array per file. The size limit is checked before anything is read.
/// </summary>
internal sealed class PooledFile : IDisposable
{
    private byte[] _buffer;
    private readonly int _length;

    private PooledFile(byte[] buffer, int length) => (_buffer, _length) = (buffer, length);

    /// <summary>The file's bytes.</summary>
    public ReadOnlySpan<byte> Data => _buffer.AsSpan(0, _length);

    /// <summary>Reads <paramref name="path"/>, refusing it before reading when it is larger than <paramref name="limits"/> allow.</summary>
    /// <exception cref="ImageLimitExceededException">The file is over <see cref="ImageLimits.MaxFileBytes"/>.</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public static PooledFile Read(string path, ImageLimits limits)
    {
        using var handle = File.OpenHandle(path);
        long length = RandomAccess.GetLength(handle);
        ImageLimitGuard.CheckFileSize(length, limits, path);
        if (length > Array.MaxLength)
            throw new ImageLimitExceededException(path, $"file is {length} bytes, more than one buffer can hold");
        byte[] buffer = ArrayPool<byte>.Shared.Rent((int)Math.Max(length, 1));
        try
        {
            int total = 0;
            while (total < length)
            {
                int read = RandomAccess.Read(handle, buffer.AsSpan(total, (int)length - total), total);
                if (read == 0) break; // the file shrank while being read: decode what is there
                total += read;
            }
            return new PooledFile(buffer, total);
        }
        catch
        {
            ArrayPool<byte>.Shared.Return(buffer);
            throw;
        }
    }

    private const int FirstStreamBufferBytes = 64 * 1024;

    /// <summary>
    /// Reads <paramref name="stream"/> from its position to its end, asynchronously. A seekable stream
    /// longer than <paramref name="limits"/> allow is refused before anything is read, any other as
    /// soon as it yields one byte more — never read to its end. The stream is not disposed.
    /// </summary>
    /// <param name="stream">The bytes, read from its current position.</param>
    /// <param name="limits">The size limit.</param>
    /// <param name="source">A name for error messages, or null.</param>
    /// <param name="cancellationToken">Stops the read.</param>
    /// <param name="declaredLength">
    /// The length the sender announced for a stream that cannot seek (an HTTP Content-Length): the
    /// first buffer is sized from it (capped at the limit), so a large upload is not read through a
    /// chain of doubling buffers. Only a hint: the stream's real end and the limit still decide.
    /// </param>
    /// <exception cref="ImageLimitExceededException">The stream holds more than <see cref="ImageLimits.MaxFileBytes"/>.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public static async Task<PooledFile> ReadAsync(Stream stream, ImageLimits limits, string? source, CancellationToken cancellationToken, long? declaredLength = null)
    {
        long limit = Math.Min(limits.MaxFileBytes, Array.MaxLength - 1);
        int capacity = FirstStreamBufferBytes;
        if (stream.CanSeek)
        {
            long remaining = Math.Max(0, stream.Length - stream.Position);
            ImageLimitGuard.CheckFileSize(remaining, limits, source);
            capacity = (int)Math.Min(remaining + 1, limit + 1); // +1: sees the end without a second buffer
        }
        else if (declaredLength is long declared and >= 0)
        {
            capacity = (int)Math.Min(declared + 1, limit + 1);
        }
        byte[] buffer = ArrayPool<byte>.Shared.Rent(Math.Max(capacity, 1));
        try
        {
            int total = 0;
            while (true)
            {
                if (total == buffer.Length)
                {
                    if (total > limit) break;
                    byte[] larger = ArrayPool<byte>.Shared.Rent((int)Math.Min((long)buffer.Length * 2, limit + 1));
                    buffer.AsSpan(0, total).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = larger;
                }
                int read = await stream.ReadAsync(buffer.AsMemory(total), cancellationToken).ConfigureAwait(false);
                if (read == 0) break;
                total += read;
                if (total > limit) break; // one byte over is enough to know
            }
            ImageLimitGuard.CheckFileSize(total, limits, source);
            if (total > limit) throw new ImageLimitExceededException(source, "stream holds more bytes than one buffer can");
            return new PooledFile(buffer, total);
        }
        catch
        {
            ArrayPool<byte>.Shared.Return(buffer);
            throw;
        }
    }

    /// <summary>Returns the buffer to the pool.</summary>
    public void Dispose()
    {
        if (_buffer.Length > 0) ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = [];
    }
}
