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

    /// <summary>Returns the buffer to the pool.</summary>
    public void Dispose()
    {
        if (_buffer.Length > 0) ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = [];
    }
}
