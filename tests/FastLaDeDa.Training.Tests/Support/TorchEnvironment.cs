using System.Runtime.CompilerServices;
using FastLaDeDa.Training.Native;

namespace FastLaDeDa.Training.Tests.Support;

/// <summary>Applies the oneDNN guard before any test's first TorchSharp call (some tests call torch before touching a training type).</summary>
internal static class TorchEnvironment
{
    [ModuleInitializer]
    internal static void Prepare() => OneDnnCacheGuard.Apply();
}
