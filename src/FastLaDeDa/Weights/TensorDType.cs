namespace FastLaDeDa.Weights;

/// <summary>Element types a weights file may hold (safetensors names in parentheses).</summary>
internal enum TensorDType
{
    /// <summary>IEEE 754 binary32 (F32).</summary>
    Float32,
    /// <summary>IEEE 754 binary16 (F16).</summary>
    Float16,
    /// <summary>bfloat16 (BF16).</summary>
    BFloat16,
    /// <summary>IEEE 754 binary64 (F64).</summary>
    Float64,
    /// <summary>Signed 64-bit integer (I64).</summary>
    Int64,
    /// <summary>Signed 32-bit integer (I32).</summary>
    Int32,
    /// <summary>Unsigned byte (U8).</summary>
    UInt8,
}
