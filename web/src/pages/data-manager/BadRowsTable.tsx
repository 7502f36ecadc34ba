import type { RowError } from '../../api/types';
import { formatCount } from '../../components/format';

/** The rows an import refused, each with its line in the file and the reason. */
export function BadRowsTable({ errors, total }: { errors: RowError[]; total: number }) {
  return (
    <div className="table-scroll bad-rows">
      <table className="data-table" aria-label="Bad rows">
        <caption>
          {formatCount(total)} bad {total === 1 ? 'row' : 'rows'}
          {errors.length < total && ` (the first ${formatCount(errors.length)} are listed)`}
        </caption>
        <thead>
          <tr>
            <th scope="col" className="num">
              Line
            </th>
            <th scope="col">Problem</th>
            <th scope="col">Code</th>
          </tr>
        </thead>
        <tbody>
          {errors.map((e, i) => (
            <tr key={`${e.line}-${i}`}>
              <td className="num">{e.line}</td>
              <td>{e.reason}</td>
              <td>
                <code>{e.code}</code>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
