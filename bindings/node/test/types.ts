// Compiled by test.sh with `tsc --noEmit --strict`: index.d.ts describes the
// API as the tests use it (not run by node --test).
import { Screener, PolicyError, InvalidInputError, XianshenError, version, type Report, type Finding } from '../index';

const s: Screener = new Screener();
const r: Report = s.screen('本店出售冰毒', { title: '标题', kind: 'comment', repost: null, date: new Date(), redact: { mask: '*', rules: ['term.'] } });
const f: Finding | undefined = r.findings[0];
const slice: string | undefined = f && '本店出售冰毒'.slice(f.start, f.end);
const approval: 'reviewer' | 'head' | 'leadership' | null | undefined = f?.approval;
const redacted: string | undefined = r.redacted;
const many: Promise<Report[]> = s.screenMany(['a', 'b'], { threads: 2, source: '新华社' });
const one: Promise<Report> = s.screenAsync('a');
const p: Screener = Screener.fromToml('[meta]\nname = "t"\n', { baseDir: '/tmp' });
const v: string = Screener.loadLibrary() + version() + Screener.fromFile('p.toml').closed;
try {
  s.close();
} catch (e) {
  if (e instanceof PolicyError) {
    const where: [string | null, number | null, number | null, 'syntax' | 'invalid' | 'io'] = [e.path, e.line, e.column, e.kind];
    void where;
  } else if (e instanceof InvalidInputError || e instanceof XianshenError) {
    const st: [string, number, number | null] = [e.status, e.code, e.byteOffset];
    void st;
  }
}
void [slice, approval, redacted, many, one, p, v];
