// libtorch already spreads each operation over all cores; running test classes side by side on
// top of that only oversubscribes the machine.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
