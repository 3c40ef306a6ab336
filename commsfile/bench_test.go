package commsfile_test

import (
	"bytes"
	"fmt"
	"testing"
	"time"

	"caseroom"
	"caseroom/commsfile"
)

// syntheticCDR returns a CDR of n rows in the Pakistani layout, of made-up numbers.
func syntheticCDR(n int) []byte {
	var b bytes.Buffer
	b.WriteString("A Party,B Party,Date/Time,Duration,Call Type,Cell ID,IMEI,IMSI\r\n")
	types := []string{"Outgoing", "Incoming", "SMS-MO", "SMS-MT"}
	start := time.Date(2015, 6, 1, 0, 0, 0, 0, time.UTC)
	for i := range n {
		t := start.Add(time.Duration(i) * 17 * time.Second)
		fmt.Fprintf(&b, "03001112233,0321%07d,%s,%d,%s,410-06-%04d-%04d,356938035643809,410060000000001\r\n",
			i%5000, t.Format("02/01/2006 15:04:05"), i%900, types[i%4], i%97, i%9973)
	}
	return b.Bytes()
}

func BenchmarkReadCDR(b *testing.B) {
	const n = 100_000
	in := syntheticCDR(n)
	b.SetBytes(int64(len(in)))
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		rows := 0
		err := commsfile.ReadCDR(bytes.NewReader(in), commsfile.CDROptions{Location: pkt}, func(caseroom.CommRow) error {
			rows++
			return nil
		})
		if err != nil || rows != n {
			b.Fatalf("%d rows, error %v", rows, err)
		}
	}
	b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
}
