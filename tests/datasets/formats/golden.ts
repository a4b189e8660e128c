/**
 * Small files written by NumPy 2 and SciPy 1.17 (base64), so the readers are checked against files
 * they did not write themselves. Regenerate with the Python shown beside each.
 *
 * @module
 */

/** `np.save(f, (np.arange(6, dtype=np.float32).reshape(2, 3) / 4))`: [[0, .25, .5], [.75, 1, 1.25]]. */
export const NPY_F32_2X3 =
  "k05VTVBZAQB2AHsnZGVzY3InOiAnPGY0JywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKDIsIDMpLCB9ICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoAAAAAAACAPgAAAD8AAEA/AACAPwAAoD8=";

/** `np.save(f, np.array([-1, 2**40, 7], dtype=np.int64))`. */
export const NPY_I64 =
  "k05VTVBZAQB2AHsnZGVzY3InOiAnPGk4JywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKDMsKSwgfSAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAr//////////wAAAAAAAQAABwAAAAAAAAA=";

/** `np.save(f, np.uint8(200))`: a 0-d array, shape (). */
export const NPY_U1_SCALAR =
  "k05VTVBZAQB2AHsnZGVzY3InOiAnfHUxJywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKCksIH0gICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIArI";

/** `np.lib.format.write_array(f, np.array([[0.5], [-2.0]]), version=(2, 0))`. */
export const NPY_F8_V2 =
  "k05VTVBZAgB0AAAAeydkZXNjcic6ICc8ZjgnLCAnZm9ydHJhbl9vcmRlcic6IEZhbHNlLCAnc2hhcGUnOiAoMiwgMSksIH0gICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoAAAAAAADgPwAAAAAAAADA";

/** `np.lib.format.write_array(f, np.array([1, 2, 3], dtype=np.int32), version=(3, 0))`. */
export const NPY_I4_V3 =
  "k05VTVBZAwB0AAAAeydkZXNjcic6ICc8aTQnLCAnZm9ydHJhbl9vcmRlcic6IEZhbHNlLCAnc2hhcGUnOiAoMywpLCB9ICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoBAAAAAgAAAAMAAAA=";

/** `np.save(f, np.asfortranarray(np.arange(6, dtype=np.float32).reshape(2, 3)))`. */
export const NPY_FORTRAN =
  "k05VTVBZAQB2AHsnZGVzY3InOiAnPGY0JywgJ2ZvcnRyYW5fb3JkZXInOiBUcnVlLCAnc2hhcGUnOiAoMiwgMyksIH0gICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoAAAAAAABAQAAAgD8AAIBAAAAAQAAAoEA=";

/** `np.save(f, np.arange(3, dtype=">f4"))`. */
export const NPY_BIG_ENDIAN =
  "k05VTVBZAQB2AHsnZGVzY3InOiAnPmY0JywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKDMsKSwgfSAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoAAAAAP4AAAEAAAAA=";

/**
 * `scipy.io.savemat(f, {"X": X, "y": np.array([[10.0], [3.0]])}, do_compression=True)` where X is uint8
 * [32, 32, 3, 2] with X[r, c, ch, n] = (3r + 5c + 101ch + 37n) & 255 (= `svhnPixel` in fixtures.ts).
 */
export const MAT_SVHN_SCIPY =
  "TUFUTEFCIDUuMCBNQVQtZmlsZSBQbGF0Zm9ybTogcG9zaXgsIENyZWF0ZWQgb246IFNhdCBOb3YgMjggMDM6Mjc6MTggMjAyNgAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAABSU0PAAAAEAQAAHichZhnVI9xHEefSqkk2cnKntkS2ZSVkZFRKGSEMqJCGRkZhYyMjIyMjIyoqIxSGRkZhYxCRiF7RP4eXt9vznNyTufcN/fF9/4+xoqiWJkqip7mt77mM1D+/ehqPhPNZ/7/09F82ppPS/Nv2P//K6Z//6BnYFSqTHnTytVq1K7X0KJZS8u27Tt1tenZp5/94KEjRurqlzAuXa6iWVXzWnUbNG7aorWVdccu3Xv07jtgkMNwp9FjDEualK1QqUr1mnXqN2rSvFWbdh06d7PtZdd/4JBhjqNcxk0AtPPY8ZOmANp14mT36YB2mzpt5mxAe8yY5T0X0J5ec3wXANpn3vxFSwDtt3DxshWA9l+6fNVqQAesDFq7HtCBa9Zt3Azo4A2btm4HdMiWbTt3Azp0x669+wEdtmffwcOADj9w6OhxQEccOXbyNKAjT5yKOQvoqOgz8ecBHRt37uIlQCdcSEq5AujE5MvXbgA69er1W3cAnXbz9r37gE6/m/nwMaAzHjx6+gzQWU9yXrwCdPbzl2/eAjr3df77j4DOe/fh8ze2k3CB7SQms53Uq2wn7SbbSb/LdjIesJ2sJ2wn+znbyX3NdvLesZ2CT2zny3e28/M3oL/++KXoALqwSFtXH9BaxYoblgS0ehgArR4GQKuHAdDqYQC0ehgArR4GQKuHAdDqYQC0ehgArR4GQKuHAdDqYQC0ehgArR4GQKuHQbrvbKd2PbbToDHbadKc7bS0ZDtW1mynQ2e209WG7fTozXbs+rMd+8Fsx2E423EcxXacx3J9uU7k+nKbyvXlMYPry9OL68tnHteX30KuL/+lXF8BK7m+AtdwfQVv4PoK2cL1FbqD6ytsD9dX+AGur4gjXF+RJ7i+oqK5vmLjpPvOducvYruLl7Hd5avYbtBatrtuI9vdtJXtbtvJdnftZbv7DrLdQ0fZ7rGTbPdUDNs9E892z11ku0kpXG+Xr3G9Xb/F9Xb7Htdb5kOut0dPud5yXnC9vXzD9Zb/nuvtw2eut68/uN4Ki7jetIpxvekZcL2VMOZ6MynL9VbelOvNrKrwPMkVnid5wvOkQHiefBGeJz/Zzi+F7Wjrsp3ihmzHqBTbKV2O7VSoxHYqV2M75rWorf/eZq63hhZcb01bcL21asP11rY911vHLlxv3Wy53nr24XrrO4DrbeAQrrehI7jenEZzvbmM43obP4nrbbI719u0mVxvs7y53ub4SvddeJ7YCc8Te+F54iA8TxyF54mzMD+6CvOjmzA/egjzo6cwP/oI86OfMD/6C/NjgDA/BgrzY7AwP4YI82OoMD+GCfNjuDA/RgjzY6QwP0YJ82OsMD8mCPNjojA/pgrzY5owP6YL82OGMD9mCfNjtnTf/wBFlcXpDwAAAC0AAAB4nONjYGBwAGI2IOaA0iDACuUzATEjGDMyVAJpTiAWYIABFQcIzeEAADA2AbM=";
