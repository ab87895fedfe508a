using System.Diagnostics.CodeAnalysis;
using System.Reflection;

namespace FastLaDeDa.Engines;

/// <summary>
/// Finds FastLaDeDa.Gpu's <see cref="ICudaBackend"/> when that assembly ships with the app: the
/// library cannot reference it (it references the library), so <c>auto</c> and <c>cuda</c> look
/// up <c>FastLaDeDa.Gpu.CudaBackend.Instance</c> by name, once, and only when a LaDeDa model is
/// loaded — scoring Tiny-LaDeDa never loads ILGPU.
/// </summary>
internal static class CudaBackendLocator
{
    /// <summary>The type in FastLaDeDa.Gpu that exposes the backend.</summary>
    internal const string TypeName = "FastLaDeDa.Gpu.CudaBackend";

    /// <summary>The GPU assembly's name.</summary>
    internal const string AssemblyName = "FastLaDeDa.Gpu";

    private static readonly Lazy<(ICudaBackend? Backend, string WhyMissing)> Found = new(Find);

    /// <summary>The backend, or null when FastLaDeDa.Gpu (or ILGPU) is not there.</summary>
    public static ICudaBackend? Backend => Found.Value.Backend;

    /// <summary>Why <see cref="Backend"/> is null (empty when it is not).</summary>
    public static string WhyMissing => Found.Value.WhyMissing;

    // Keeps CudaBackend.Instance through trimming when the app references FastLaDeDa.Gpu.
    [DynamicDependency("Instance", TypeName, AssemblyName)]
    private static (ICudaBackend?, string) Find()
    {
        try
        {
            Type? type = Type.GetType($"{TypeName}, {AssemblyName}", throwOnError: false);
            if (type is null) return (null, $"{AssemblyName}.dll is not next to the app (add the {AssemblyName} package)");
            var instance = type.GetProperty("Instance", BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static)?.GetValue(null);
            return instance is ICudaBackend backend ? (backend, "") : (null, $"{TypeName}.Instance is not a CUDA backend of this FastLaDeDa version");
        }
        // A FastLaDeDa.Gpu that cannot load (ILGPU missing, another version) means no GPU, not a crash.
        catch (Exception ex) when (ex is FileNotFoundException or FileLoadException or BadImageFormatException or TypeLoadException or TargetInvocationException)
        {
            return (null, $"{AssemblyName} could not be loaded: {(ex as TargetInvocationException)?.InnerException?.Message ?? ex.Message}");
        }
    }
}
