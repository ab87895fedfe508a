using System.Globalization;
using System.Text;

namespace FastLaDeDa.Training.Training;

/// <summary>The per-epoch metrics as CSV (one header line, one line per epoch), rewritten whole after every epoch.</summary>
internal static class MetricsCsv
{
    /// <summary>The column names.</summary>
    public const string Header = "epoch,lr,train_loss,train_items_per_s,train_s,val_loss,val_acc,val_real_acc,val_fake_acc,val_ap,val_auc,val_mse,elapsed_s";

    /// <summary>The CSV text of <paramref name="history"/>.</summary>
    public static string Format(IEnumerable<EpochMetrics> history)
    {
        ArgumentNullException.ThrowIfNull(history);
        var sb = new StringBuilder(Header).Append('\n');
        foreach (var m in history)
            sb.Append(string.Join(',',
                m.Epoch.ToString(CultureInfo.InvariantCulture), F(m.LearningRate), F(m.TrainLoss), F(m.TrainItemsPerSecond), F(m.TrainSeconds),
                F(m.ValidationLoss), F(m.ValidationAccuracy), F(m.ValidationRealAccuracy), F(m.ValidationFakeAccuracy), F(m.ValidationAp),
                F(m.ValidationAuc), m.ValidationMse is { } mse ? F(mse) : "", F(m.ElapsedSeconds))).Append('\n');
        return sb.ToString();
    }

    /// <summary>Writes <paramref name="history"/> to <paramref name="path"/>.</summary>
    public static void Write(string path, IEnumerable<EpochMetrics> history) => File.WriteAllText(path, Format(history));

    private static string F(double value) => value.ToString("G6", CultureInfo.InvariantCulture);
}
