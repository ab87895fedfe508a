namespace FastLaDeDa.Gpu;

/// <summary>
/// One convolution launch: no padding, weights [out][in][ky][kx] uploaded transposed as a
/// K × N matrix (K = in · k · k, N = out), activations planar <c>[channel][batch][y][x]</c>.
/// As a GEMM: M = batch · outHeight · outWidth pixels, N = output channels, K = in-channels × taps.
/// The epilogue applies <c>scale · acc + shift</c> (BatchNorm, in double), adds the residual
/// (a <c>[channel][batch][ResidualHeight][ResidualWidth]</c> tensor read at the output position,
/// i.e. cropped at the bottom and right) when <see cref="ResidualHeight"/> &gt; 0, then ReLU when
/// <see cref="Relu"/> is 1. Plain data: it is a kernel argument.
/// </summary>
internal struct ConvShape
{
    /// <summary>Images in the batch.</summary>
    public int Batch;

    /// <summary>Input channels.</summary>
    public int InChannels;

    /// <summary>Input rows.</summary>
    public int InHeight;

    /// <summary>Input columns.</summary>
    public int InWidth;

    /// <summary>Output channels (N).</summary>
    public int OutChannels;

    /// <summary>Output rows.</summary>
    public int OutHeight;

    /// <summary>Output columns.</summary>
    public int OutWidth;

    /// <summary>Kernel size (1 or 3; any size works).</summary>
    public int Kernel;

    /// <summary>Stride (1 or 2; any stride works).</summary>
    public int Stride;

    /// <summary>Rows of the residual tensor (0: no residual).</summary>
    public int ResidualHeight;

    /// <summary>Columns of the residual tensor.</summary>
    public int ResidualWidth;

    /// <summary>1: ReLU after the epilogue; 0: none.</summary>
    public int Relu;

    /// <summary>The shape of <paramref name="conv"/> (its channels, kernel and stride) on a batch of <paramref name="inHeight"/>×<paramref name="inWidth"/> maps.</summary>
    public static ConvShape For(Models.LaDeDaConv conv, int batch, int inHeight, int inWidth, bool relu) =>
        Create(batch, conv.InChannels, inHeight, inWidth, conv.OutChannels, conv.Kernel, conv.Stride, relu);

    /// <summary>The shape of a <paramref name="kernel"/>×<paramref name="kernel"/> convolution with stride <paramref name="stride"/> on a batch of <paramref name="inHeight"/>×<paramref name="inWidth"/> maps.</summary>
    public static ConvShape Create(int batch, int inChannels, int inHeight, int inWidth, int outChannels, int kernel, int stride, bool relu)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batch);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(inChannels);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(outChannels);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(kernel);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(stride);
        if (inHeight < kernel || inWidth < kernel) throw new ArgumentException($"a {kernel}x{kernel} convolution needs at least {kernel}x{kernel} input, got {inWidth}x{inHeight}");
        return new ConvShape
        {
            Batch = batch, InChannels = inChannels, InHeight = inHeight, InWidth = inWidth,
            OutChannels = outChannels, OutHeight = (inHeight - kernel) / stride + 1, OutWidth = (inWidth - kernel) / stride + 1,
            Kernel = kernel, Stride = stride, Relu = relu ? 1 : 0,
        };
    }

    /// <summary>This shape with a residual of <paramref name="height"/>×<paramref name="width"/> (at least the output size) added before the ReLU.</summary>
    public readonly ConvShape WithResidual(int height, int width)
    {
        if (height < OutHeight || width < OutWidth) throw new ArgumentException($"the residual ({width}x{height}) must cover the output ({OutWidth}x{OutHeight})");
        var s = this;
        s.ResidualHeight = height;
        s.ResidualWidth = width;
        return s;
    }

    /// <summary>GEMM rows: output pixels of the whole batch.</summary>
    public readonly int M => Batch * OutHeight * OutWidth;

    /// <summary>GEMM reduction length: in-channels × taps.</summary>
    public readonly int K => InChannels * Kernel * Kernel;

    /// <summary>Floats of the input tensor.</summary>
    public readonly long InputLength => (long)InChannels * Batch * InHeight * InWidth;

    /// <summary>Floats of the output tensor.</summary>
    public readonly long OutputLength => (long)OutChannels * M;

    /// <summary>Floats of the residual tensor (0 when none).</summary>
    public readonly long ResidualLength => (long)OutChannels * Batch * ResidualHeight * ResidualWidth;

    /// <summary>Multiply-adds.</summary>
    public readonly long MultiplyAdds => (long)M * OutChannels * K;
}
