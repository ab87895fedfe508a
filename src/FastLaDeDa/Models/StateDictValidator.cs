using System.Text;
using FastLaDeDa.Errors;
using FastLaDeDa.Weights;

namespace FastLaDeDa.Models;

/// <summary>Checks a state dict against a model's tensor list, reporting every problem in one error.</summary>
internal static class StateDictValidator
{
    /// <summary>
    /// Throws <see cref="ModelMismatchException"/> listing all missing, unexpected and mis-shaped
    /// tensors, or <see cref="WeightsFormatException"/> when a used tensor holds NaN or infinity.
    /// </summary>
    public static void Validate(StateDict dict, IReadOnlyList<TensorSpec> specs, string modelName)
    {
        ArgumentNullException.ThrowIfNull(dict);
        var expected = specs.ToDictionary(s => s.Name, StringComparer.Ordinal);
        var missing = specs.Where(s => s.Required && !dict.Tensors.ContainsKey(s.Name)).Select(s => s.Name).Order(StringComparer.Ordinal).ToList();
        var unexpected = dict.Tensors.Keys.Where(k => !expected.ContainsKey(k)).Order(StringComparer.Ordinal).ToList();
        var misShaped = new List<string>();
        foreach (var spec in specs)
            if (dict.Tensors.TryGetValue(spec.Name, out var t) && !t.HasShape(spec.Shape))
                misShaped.Add($"{spec.Name} is {t.ShapeText}, expected {spec.ShapeText}");

        if (missing.Count + unexpected.Count + misShaped.Count > 0)
        {
            var sb = new StringBuilder($"not a {modelName} state dict:");
            if (missing.Count > 0) sb.Append($" missing {missing.Count} ({string.Join(", ", missing)});");
            if (unexpected.Count > 0) sb.Append($" unexpected {unexpected.Count} ({string.Join(", ", unexpected.Take(20))}{(unexpected.Count > 20 ? ", ..." : "")});");
            if (misShaped.Count > 0) sb.Append($" mis-shaped {misShaped.Count} ({string.Join("; ", misShaped)});");
            throw new ModelMismatchException(dict.SourcePath, sb.ToString().TrimEnd(';'));
        }

        foreach (var spec in specs.Where(s => s.Required))
        {
            var tensor = dict.Tensors[spec.Name];
            if (tensor.DType is TensorDType.Int64 or TensorDType.Int32 or TensorDType.UInt8)
                throw new ModelMismatchException(dict.SourcePath, $"tensor {spec.Name} is {tensor.DType}, expected a floating-point type");
            float[] values = tensor.ToFloat32();
            int bad = Array.FindIndex(values, v => !float.IsFinite(v));
            if (bad >= 0)
                throw new WeightsFormatException(dict.SourcePath, $"tensor {spec.Name} holds a non-finite value ({values[bad]}) at flat index {bad}");
        }
    }
}
