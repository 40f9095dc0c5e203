package art.atelier.util;

/** Small byte-array helpers for the file formats Atelier writes and reads itself. */
public final class Bytes {

    private Bytes() {}

    /**
     * @param parts byte arrays
     * @return them one after the other, in one new array
     */
    public static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        byte[] out = new byte[n];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }
}
