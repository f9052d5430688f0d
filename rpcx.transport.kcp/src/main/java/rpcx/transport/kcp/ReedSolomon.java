package rpcx.transport.kcp;

/**
 * Reed-Solomon erasure coding over GF(2^8) as kcp-go's FEC uses it (klauspost/reedsolomon's default code): the
 * field has the generating polynomial x^8 + x^4 + x^3 + x^2 + 1 (0x11d) and the generator 2; the encoding matrix
 * is the {@code total x data} Vandermonde matrix ({@code row^col}) multiplied by the inverse of its top square, so
 * data shards pass unchanged and the parity rows are what the peer computes. Any {@code data} of the
 * {@code data + parity} shards recover the rest.
 *
 * <p>Immutable after construction; {@link #encode} and {@link #reconstructData} may run on several threads.
 */
final class ReedSolomon {
    private static final int[] EXP = new int[510];
    private static final int[] LOG = new int[256];

    static {
        int x = 1;
        for (int i = 0; i < 255; i++) {
            EXP[i] = x;
            LOG[x] = i;
            x <<= 1;
            if (x >= 256) {
                x ^= 0x11d;
            }
        }
        for (int i = 255; i < EXP.length; i++) {
            EXP[i] = EXP[i - 255];
        }
    }

    private final int data;
    private final int parity;
    /** The parity rows of the encoding matrix: {@code parity x data}. */
    private final int[][] parityRows;
    /** The whole encoding matrix: {@code (data + parity) x data}. */
    private final int[][] matrix;

    ReedSolomon(int dataShards, int parityShards) {
        if (dataShards < 1 || parityShards < 1 || dataShards + parityShards > 256) {
            throw new IllegalArgumentException("shards: data >= 1, parity >= 1, data + parity <= 256; got "
                    + dataShards + "/" + parityShards);
        }
        this.data = dataShards;
        this.parity = parityShards;
        int total = dataShards + parityShards;
        int[][] vandermonde = new int[total][dataShards];
        for (int r = 0; r < total; r++) {
            for (int c = 0; c < dataShards; c++) {
                vandermonde[r][c] = power(r, c);
            }
        }
        int[][] top = new int[dataShards][];
        System.arraycopy(vandermonde, 0, top, 0, dataShards);
        this.matrix = multiply(vandermonde, invert(top));
        this.parityRows = new int[parityShards][];
        System.arraycopy(matrix, dataShards, parityRows, 0, parityShards);
    }

    static int mul(int a, int b) {
        return a == 0 || b == 0 ? 0 : EXP[LOG[a] + LOG[b]];
    }

    private static int div(int a, int b) {
        if (b == 0) {
            throw new ArithmeticException("division by zero in GF(2^8)");
        }
        return a == 0 ? 0 : EXP[LOG[a] + 255 - LOG[b]];
    }

    static int power(int a, int n) {
        if (n == 0) {
            return 1;
        }
        return a == 0 ? 0 : EXP[(LOG[a] * n) % 255];
    }

    private static int[][] multiply(int[][] left, int[][] right) {
        int[][] out = new int[left.length][right[0].length];
        for (int r = 0; r < left.length; r++) {
            for (int c = 0; c < right[0].length; c++) {
                int v = 0;
                for (int i = 0; i < right.length; i++) {
                    v ^= mul(left[r][i], right[i][c]);
                }
                out[r][c] = v;
            }
        }
        return out;
    }

    /** Gauss-Jordan elimination; throws when the matrix is singular (never for rows of this code's matrix). */
    private static int[][] invert(int[][] square) {
        int n = square.length;
        int[][] work = new int[n][2 * n];
        for (int r = 0; r < n; r++) {
            System.arraycopy(square[r], 0, work[r], 0, n);
            work[r][n + r] = 1;
        }
        for (int col = 0; col < n; col++) {
            int pivot = col;
            while (pivot < n && work[pivot][col] == 0) {
                pivot++;
            }
            if (pivot == n) {
                throw new IllegalStateException("singular matrix");
            }
            int[] swap = work[col];
            work[col] = work[pivot];
            work[pivot] = swap;
            int scale = work[col][col];
            for (int c = 0; c < 2 * n; c++) {
                work[col][c] = div(work[col][c], scale);
            }
            for (int r = 0; r < n; r++) {
                int factor = work[r][col];
                if (r != col && factor != 0) {
                    for (int c = 0; c < 2 * n; c++) {
                        work[r][c] ^= mul(factor, work[col][c]);
                    }
                }
            }
        }
        int[][] inverse = new int[n][n];
        for (int r = 0; r < n; r++) {
            System.arraycopy(work[r], n, inverse[r], 0, n);
        }
        return inverse;
    }

    int dataShards() {
        return data;
    }

    int parityShards() {
        return parity;
    }

    /**
     * Computes the parity shards from the data shards: {@code shards[data..data+parity)} receive
     * {@code length} bytes starting at {@code offset}, from the same range of {@code shards[0..data)}.
     */
    void encode(byte[][] shards, int offset, int length) {
        for (int p = 0; p < parity; p++) {
            code(parityRows[p], shards, offset, length, shards[data + p]);
        }
    }

    private void code(int[] row, byte[][] inputs, int offset, int length, byte[] out) {
        java.util.Arrays.fill(out, offset, offset + length, (byte) 0);
        for (int i = 0; i < data; i++) {
            int factor = row[i];
            if (factor == 0) {
                continue;
            }
            byte[] in = inputs[i];
            int logFactor = LOG[factor];
            for (int k = offset, end = offset + length; k < end; k++) {
                int v = in[k] & 0xff;
                if (v != 0) {
                    out[k] ^= (byte) EXP[logFactor + LOG[v]];
                }
            }
        }
    }

    /**
     * Recovers the missing data shards in place. {@code shards[i]} is null for a missing shard; present ones hold
     * at least {@code offset + length} bytes. Missing data shards are filled with new arrays of
     * {@code offset + length} bytes.
     *
     * @return false (changing nothing) when fewer than {@code data} shards are present
     */
    boolean reconstructData(byte[][] shards, int offset, int length) {
        int[] rows = new int[data];
        byte[][] inputs = new byte[data][];
        int found = 0;
        for (int i = 0; i < shards.length && found < data; i++) {
            if (shards[i] != null) {
                rows[found] = i;
                inputs[found] = shards[i];
                found++;
            }
        }
        if (found < data) {
            return false;
        }
        int[][] sub = new int[data][];
        for (int r = 0; r < data; r++) {
            sub[r] = matrix[rows[r]];
        }
        int[][] decode = invert(sub);
        for (int i = 0; i < data; i++) {
            if (shards[i] == null) {
                byte[] out = new byte[offset + length];
                code(decode[i], inputs, offset, length, out);
                shards[i] = out;
            }
        }
        return true;
    }
}
