namespace FastLaDeDa.Weights;

/// <summary>
/// Turns a PyTorch view (storage, element offset, sizes, strides) into a dense row-major
/// <see cref="TensorData"/>. Checkpoints usually hold contiguous tensors, but a transposed or
/// sliced tensor is saved as a view of a bigger storage, so arbitrary strides are supported.
/// Every element the view addresses is checked to lie inside the storage before anything is copied.
/// </summary>
internal static class StridedTensorGather
{
    /// <summary>Copies the view out of <paramref name="storage"/>; <paramref name="fail"/> builds the error for a bad view.</summary>
    public static TensorData Gather(TorchStorage storage, long offset, long[] sizes, long[] strides, long maxBytes,
                                    Func<string, Exception> fail)
    {
        if (sizes.Length != strides.Length)
            throw fail($"size {DiagnosticText.Shape(sizes)} and stride {DiagnosticText.Shape(strides)} have different lengths");
        if (offset < 0) throw fail($"storage offset {offset} is negative");
        var shape = new int[sizes.Length];
        for (int i = 0; i < sizes.Length; i++)
        {
            if (sizes[i] is < 0 or > int.MaxValue) throw fail($"size {DiagnosticText.Shape(sizes)} has a dimension outside 0..{int.MaxValue}");
            if (strides[i] < 0) throw fail($"stride {DiagnosticText.Shape(strides)} has a negative entry");
            shape[i] = (int)sizes[i];
        }
        int elementSize = TensorData.SizeOf(storage.DType);
        long count = SafeTensors.CountElements(shape, maxBytes / elementSize)
            ?? throw fail($"size {DiagnosticText.Shape(sizes)} needs more than the limit of {maxBytes} bytes");

        // The furthest element addressed is offset + sum((size-1) * stride); it must be in the storage.
        // The stride product cannot overflow silently: checked arithmetic turns that into an error.
        long last = offset;
        try
        {
            for (int i = 0; i < sizes.Length && count > 0; i++) last = checked(last + (sizes[i] - 1) * strides[i]);
        }
        catch (OverflowException)
        {
            throw fail($"size {DiagnosticText.Shape(sizes)} with stride {DiagnosticText.Shape(strides)} addresses elements beyond any storage");
        }
        long needed = count == 0 ? offset : last + 1;
        if (needed > storage.ElementCount)
            throw fail($"size {DiagnosticText.Shape(sizes)}, stride {DiagnosticText.Shape(strides)}, offset {offset} address {needed} elements but storage {DiagnosticText.Quote(storage.Key)} holds {storage.ElementCount}");

        var bytes = new byte[count * elementSize];
        if (count == 0) return new TensorData(storage.DType, shape, bytes);
        ReadOnlySpan<byte> source = storage.Bytes;
        if (IsRowMajorContiguous(sizes, strides))
        {
            source.Slice((int)(offset * elementSize), bytes.Length).CopyTo(bytes);
            return new TensorData(storage.DType, shape, bytes);
        }

        // Odometer over all but the last dimension; the last one is walked with its stride.
        int rank = sizes.Length;
        long innerSize = sizes[rank - 1], innerStride = strides[rank - 1];
        var index = new long[rank];
        long rowStart = offset;
        int written = 0;
        while (true)
        {
            long element = rowStart;
            for (long j = 0; j < innerSize; j++, element += innerStride)
            {
                source.Slice((int)(element * elementSize), elementSize).CopyTo(bytes.AsSpan(written));
                written += elementSize;
            }
            int dim = rank - 2;
            for (; dim >= 0; dim--)
            {
                rowStart += strides[dim];
                if (++index[dim] < sizes[dim]) break;
                rowStart -= index[dim] * strides[dim];
                index[dim] = 0;
            }
            if (dim < 0) return new TensorData(storage.DType, shape, bytes);
        }
    }

    /// <summary>True when the strides are those of a dense row-major layout (dimensions of size 1 may have any stride).</summary>
    private static bool IsRowMajorContiguous(long[] sizes, long[] strides)
    {
        long expected = 1;
        for (int i = sizes.Length - 1; i >= 0; i--)
        {
            if (sizes[i] != 1 && strides[i] != expected) return false;
            expected *= sizes[i];
        }
        return true;
    }
}
