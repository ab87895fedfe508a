using BenchmarkDotNet.Running;

// dotnet run -c Release --project bench/FastLaDeDa.Bench -- --filter '*'            (full runs)
// dotnet run -c Release --project bench/FastLaDeDa.Bench -- --filter '*' --job short (a few minutes)
BenchmarkSwitcher.FromAssembly(typeof(FastLaDeDa.Bench.BenchInputs).Assembly).Run(args);
