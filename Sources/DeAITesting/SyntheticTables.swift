// SyntheticTables: CSV tables like a hospital's export — text, booleans and gaps — the same on every run.

/// Tables for tests of reading and training on messy CSV data.
public enum SyntheticTables {
    /// A ward table: readmission (`outcome`: `discharged` or `readmitted`) depends on smoking, blood pressure and
    /// the ward; about one age in ten (`NA`) and one smoker cell in twenty (empty) are missing. The same `rows`,
    /// `seed` and `header` order give the same text.
    public static func wards(rows: Int, seed: UInt64, header: [String] = ["age", "ward", "smoker", "bp", "outcome"])
        -> String
    {
        var state = seed
        func next() -> Double {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Double(state >> 11) / Double(1 << 53)
        }
        let wards = ["cardiology", "oncology", "surgery"]
        var lines = [header.joined(separator: ",")]
        for _ in 0..<rows {
            let ward = wards[Int(next() * 3)]
            let smoker = next() < 0.4
            let bp = 110 + next() * 60
            let risk = (smoker ? 1.5 : 0) + (bp - 140) / 10 + (ward == "oncology" ? 1 : 0) + (next() - 0.5)
            let age = next() < 0.1 ? "NA" : String(Int(30 + next() * 50))
            let smokerCell = next() < 0.05 ? "" : (smoker ? "yes" : "no")
            let cells = [
                "age": age, "ward": ward, "smoker": smokerCell, "bp": String(Int(bp * 10)) + "e-1",
                "outcome": risk > 0.5 ? "readmitted" : "discharged",
            ]
            lines.append(header.map { cells[$0] ?? "" }.joined(separator: ","))
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
