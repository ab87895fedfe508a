using System.Buffers.Binary;
using System.Collections.Immutable;
using System.Runtime.InteropServices;

namespace FastLaDeDa.Weights;

/// <summary>
/// One dense tensor as stored in a weights file: an element type, a shape (row-major, C order)
/// and its raw little-endian bytes. Immutable; conversions return new arrays.
/// </summary>
internal sealed class TensorData
{
    private readonly byte[] _bytes;

    /// <summary>Wraps <paramref name="bytes"/> (not copied); its length must equal the shape's element count × element size.</summary>
    public TensorData(TensorDType dtype, ReadOnlySpan<int> shape, byte[] bytes)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        long count = 1;
        foreach (int d in shape)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(d, nameof(shape));
            count = checked(count * d);
        }
        if (count * SizeOf(dtype) != bytes.Length)
            throw new ArgumentException($"{dtype} tensor of shape [{string.Join(',', shape.ToArray())}] needs {count * SizeOf(dtype)} bytes, got {bytes.Length}", nameof(bytes));
        DType = dtype;
        Shape = [.. shape];
        ElementCount = count;
        _bytes = bytes;
    }

    /// <summary>Element type.</summary>
    public TensorDType DType { get; }

    /// <summary>Dimensions, outermost first; empty for a scalar.</summary>
    public ImmutableArray<int> Shape { get; }

    /// <summary>Number of elements (product of <see cref="Shape"/>).</summary>
    public long ElementCount { get; }

    /// <summary>The raw little-endian bytes.</summary>
    public ReadOnlySpan<byte> Bytes => _bytes;

    /// <summary>Size of one element of <paramref name="dtype"/> in bytes.</summary>
    public static int SizeOf(TensorDType dtype) => dtype switch
    {
        TensorDType.Float64 or TensorDType.Int64 => 8,
        TensorDType.Float32 or TensorDType.Int32 => 4,
        TensorDType.Float16 or TensorDType.BFloat16 => 2,
        TensorDType.UInt8 => 1,
        _ => throw new ArgumentOutOfRangeException(nameof(dtype), dtype, null),
    };

    /// <summary>A float32 tensor holding a copy of <paramref name="values"/>.</summary>
    public static TensorData FromFloat32(ReadOnlySpan<float> values, params ReadOnlySpan<int> shape)
    {
        var bytes = new byte[values.Length * 4];
        for (int i = 0; i < values.Length; i++)
            BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(i * 4), values[i]);
        return new TensorData(TensorDType.Float32, shape, bytes);
    }

    /// <summary>Shape as text, e.g. <c>[8, 3, 1, 1]</c>.</summary>
    public string ShapeText => "[" + string.Join(", ", Shape) + "]";

    /// <summary>True when the shape equals <paramref name="expected"/>.</summary>
    public bool HasShape(ReadOnlySpan<int> expected) => Shape.AsSpan().SequenceEqual(expected);

    /// <summary>The values converted to float32 (exact for F16/BF16/F32; rounded for F64 and large integers).</summary>
    public float[] ToFloat32()
    {
        var result = new float[ElementCount];
        ReadOnlySpan<byte> b = _bytes;
        switch (DType)
        {
            case TensorDType.Float32:
                if (BitConverter.IsLittleEndian) MemoryMarshal.Cast<byte, float>(b).CopyTo(result);
                else for (int i = 0; i < result.Length; i++) result[i] = BinaryPrimitives.ReadSingleLittleEndian(b[(i * 4)..]);
                break;
            case TensorDType.Float16:
                for (int i = 0; i < result.Length; i++) result[i] = (float)BinaryPrimitives.ReadHalfLittleEndian(b[(i * 2)..]);
                break;
            case TensorDType.BFloat16:
                // bfloat16 is the top half of a float32.
                for (int i = 0; i < result.Length; i++) result[i] = BitConverter.Int32BitsToSingle(BinaryPrimitives.ReadUInt16LittleEndian(b[(i * 2)..]) << 16);
                break;
            case TensorDType.Float64:
                for (int i = 0; i < result.Length; i++) result[i] = (float)BinaryPrimitives.ReadDoubleLittleEndian(b[(i * 8)..]);
                break;
            case TensorDType.Int64:
                for (int i = 0; i < result.Length; i++) result[i] = BinaryPrimitives.ReadInt64LittleEndian(b[(i * 8)..]);
                break;
            case TensorDType.Int32:
                for (int i = 0; i < result.Length; i++) result[i] = BinaryPrimitives.ReadInt32LittleEndian(b[(i * 4)..]);
                break;
            case TensorDType.UInt8:
                for (int i = 0; i < result.Length; i++) result[i] = b[i];
                break;
        }
        return result;
    }

    /// <summary>The values of an integer tensor as int64; throws for floating-point tensors.</summary>
    public long[] ToInt64()
    {
        var result = new long[ElementCount];
        ReadOnlySpan<byte> b = _bytes;
        switch (DType)
        {
            case TensorDType.Int64:
                for (int i = 0; i < result.Length; i++) result[i] = BinaryPrimitives.ReadInt64LittleEndian(b[(i * 8)..]);
                break;
            case TensorDType.Int32:
                for (int i = 0; i < result.Length; i++) result[i] = BinaryPrimitives.ReadInt32LittleEndian(b[(i * 4)..]);
                break;
            case TensorDType.UInt8:
                for (int i = 0; i < result.Length; i++) result[i] = b[i];
                break;
            default:
                throw new InvalidOperationException($"a {DType} tensor is not an integer tensor");
        }
        return result;
    }
}
